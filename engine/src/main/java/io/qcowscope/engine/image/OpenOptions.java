package io.qcowscope.engine.image;

import io.qcowscope.engine.format.Limits;

/**
 * How an image is opened. Read-only and following backing files only inside the image's directory by default.
 *
 * @param writable           open for writing (takes QEMU's locks; see the write package)
 * @param checkMode          QEMU's check open mode: tolerate a missing refcount table and a bad snapshot table (spec 5.1)
 * @param openBackingChain   open the backing (and data) files the image names, through {@code trust}
 * @param probeBackingFormat when an image names a backing file without its format, look at its first bytes; off by default
 *                           because a raw file written by a guest can pose as a qcow2 header (spec section 8)
 * @param maxChainDepth      deepest backing chain accepted
 * @param l2CacheBytes       bound of the L2 table cache
 * @param refcountCacheBytes bound of the refcount block cache
 */
public record OpenOptions(
        boolean writable,
        boolean checkMode,
        boolean openBackingChain,
        boolean probeBackingFormat,
        FileTrustPolicy trust,
        int maxChainDepth,
        long l2CacheBytes,
        long refcountCacheBytes) {

    public static OpenOptions readOnly() {
        return new OpenOptions(false, false, true, false, FileTrustPolicy.defaultPolicy(), Limits.DEFAULT_MAX_CHAIN_DEPTH,
                32L << 20, 8L << 20);
    }

    public OpenOptions withWritable(boolean w) {
        return new OpenOptions(w, checkMode, openBackingChain, probeBackingFormat, trust, maxChainDepth, l2CacheBytes,
                refcountCacheBytes);
    }

    public OpenOptions withCheckMode(boolean c) {
        return new OpenOptions(writable, c, openBackingChain, probeBackingFormat, trust, maxChainDepth, l2CacheBytes,
                refcountCacheBytes);
    }

    public OpenOptions withBackingChain(boolean open) {
        return new OpenOptions(writable, checkMode, open, probeBackingFormat, trust, maxChainDepth, l2CacheBytes,
                refcountCacheBytes);
    }

    public OpenOptions withProbeBackingFormat(boolean probe) {
        return new OpenOptions(writable, checkMode, openBackingChain, probe, trust, maxChainDepth, l2CacheBytes,
                refcountCacheBytes);
    }

    public OpenOptions withTrust(FileTrustPolicy t) {
        return new OpenOptions(writable, checkMode, openBackingChain, probeBackingFormat, t, maxChainDepth, l2CacheBytes,
                refcountCacheBytes);
    }

    public OpenOptions withCacheBytes(long l2, long refcount) {
        return new OpenOptions(writable, checkMode, openBackingChain, probeBackingFormat, trust, maxChainDepth, l2,
                refcount);
    }
}

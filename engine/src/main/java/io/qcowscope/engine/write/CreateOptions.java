package io.qcowscope.engine.write;

import io.qcowscope.engine.format.CompressionType;
import io.qcowscope.engine.format.Limits;

/**
 * What {@code qemu-img create -f qcow2} is asked for. Defaults are QEMU's: v3, 64 KiB clusters, 16-bit refcounts, zlib.
 *
 * @param backingFile   name stored in the image (relative names resolve against the image's directory), or null
 * @param backingFormat format of the backing file ("qcow2" or "raw"), required with a backing file
 */
public record CreateOptions(
        long size,
        int version,
        int clusterBits,
        boolean extendedL2,
        int refcountOrder,
        boolean lazyRefcounts,
        CompressionType compressionType,
        String backingFile,
        String backingFormat,
        Preallocation preallocation) {

    public static CreateOptions of(long size) {
        return new CreateOptions(size, 3, 16, false, 4, false, CompressionType.ZLIB, null, null, Preallocation.OFF);
    }

    public CreateOptions withVersion(int v) {
        return new CreateOptions(size, v, clusterBits, extendedL2, refcountOrder, lazyRefcounts, compressionType,
                backingFile, backingFormat, preallocation);
    }

    public CreateOptions withClusterSize(long bytes) {
        if (Long.bitCount(bytes) != 1) {
            throw new IllegalArgumentException("cluster size must be a power of two: " + bytes);
        }
        return new CreateOptions(size, version, Long.numberOfTrailingZeros(bytes), extendedL2, refcountOrder,
                lazyRefcounts, compressionType, backingFile, backingFormat, preallocation);
    }

    public CreateOptions withExtendedL2(boolean on) {
        return new CreateOptions(size, version, clusterBits, on, refcountOrder, lazyRefcounts, compressionType,
                backingFile, backingFormat, preallocation);
    }

    public CreateOptions withRefcountBits(int bits) {
        if (Integer.bitCount(bits) != 1 || bits > 64) {
            throw new IllegalArgumentException("refcount bits must be a power of two up to 64: " + bits);
        }
        return new CreateOptions(size, version, clusterBits, extendedL2, Integer.numberOfTrailingZeros(bits),
                lazyRefcounts, compressionType, backingFile, backingFormat, preallocation);
    }

    public CreateOptions withLazyRefcounts(boolean on) {
        return new CreateOptions(size, version, clusterBits, extendedL2, refcountOrder, on, compressionType,
                backingFile, backingFormat, preallocation);
    }

    public CreateOptions withCompressionType(CompressionType t) {
        return new CreateOptions(size, version, clusterBits, extendedL2, refcountOrder, lazyRefcounts, t, backingFile,
                backingFormat, preallocation);
    }

    public CreateOptions withBacking(String file, String format) {
        return new CreateOptions(size, version, clusterBits, extendedL2, refcountOrder, lazyRefcounts, compressionType,
                file, format, preallocation);
    }

    public CreateOptions withPreallocation(Preallocation p) {
        return new CreateOptions(size, version, clusterBits, extendedL2, refcountOrder, lazyRefcounts, compressionType,
                backingFile, backingFormat, p);
    }

    /** QEMU's create-time checks (qcow2_co_create), with its messages. */
    public void validate() {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("Invalid compat version " + version);
        }
        if (clusterBits < Limits.MIN_CLUSTER_BITS || clusterBits > Limits.MAX_CLUSTER_BITS) {
            throw new IllegalArgumentException("Cluster size must be a power of two between 512 and 2048k");
        }
        if (version == 2 && (refcountOrder != 4 || lazyRefcounts || extendedL2
                || compressionType != CompressionType.ZLIB)) {
            throw new IllegalArgumentException("refcount_bits, lazy_refcounts, extended_l2 and compression_type "
                    + "other than the defaults need compat=1.1 (version 3)");
        }
        if (extendedL2 && clusterBits < Limits.MIN_EXTENDED_L2_CLUSTER_BITS) {
            throw new IllegalArgumentException("Extended L2 entries are only supported with cluster sizes of at "
                    + "least 16384 bytes");
        }
        if (refcountOrder < 0 || refcountOrder > Limits.MAX_REFCOUNT_ORDER) {
            throw new IllegalArgumentException("Refcount width must be a power of two and may not exceed 64 bits");
        }
        if (size < 0) {
            throw new IllegalArgumentException("Image size must be a non-negative number");
        }
        if ((backingFile == null) != (backingFormat == null)) {
            throw new IllegalArgumentException("a backing file needs its format (-F) and a format needs a file");
        }
        if (backingFile != null && backingFile.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > Limits.MAX_BACKING_FILE_NAME) {
            throw new IllegalArgumentException("Backing file name too long");
        }
        if (backingFormat != null && backingFormat.length() > Limits.MAX_BACKING_FORMAT_NAME) {
            throw new IllegalArgumentException("Backing format name too long");
        }
        if (backingFile != null && preallocation != Preallocation.OFF && !extendedL2) {
            throw new IllegalArgumentException("Backing file and preallocation can only be used at the same time "
                    + "if extended_l2 is on");
        }
    }
}

package io.qcowscope.engine.image;

import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.format.UnsupportedImageException;
import io.qcowscope.engine.mapping.CompressedClusterReader;
import io.qcowscope.engine.mapping.GuestOffset;
import io.qcowscope.engine.mapping.GuestResolver;
import io.qcowscope.engine.mapping.HostMapping;
import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.storage.ZeroFill;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The one guest read path (spec B.1): resolve, then read the data cluster, fill zeros, decompress, or ask the backing chain.
 * {@link Qcow2Image} reads through its read cache; a writable image through its write-back cache, so it sees what it has
 * not flushed yet. Produces exactly what {@code qemu-img convert -O raw} writes.
 */
public final class GuestReader {
    /** Where data clusters are read from: the image file, or its external data file (spec 2.5). */
    @FunctionalInterface
    public interface DataTarget {
        Storage get() throws IOException;
    }

    private final GuestResolver resolver;
    private final Qcow2Image layer;
    private final DataTarget data;
    private final CompressedClusterReader compressed;

    /**
     * @param layer the image whose backing chain answers unallocated ranges and whose header says whether it is encrypted
     */
    public GuestReader(GuestResolver resolver, Qcow2Image layer, DataTarget data, CompressedClusterReader compressed) {
        this.resolver = resolver;
        this.layer = layer;
        this.data = data;
        this.compressed = compressed;
    }

    /** Reads guest bytes; the caller has checked the range against the disk size. */
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        read(offset, ByteBuffer.wrap(dst, dstOffset, length));
    }

    /**
     * As {@link #read(long, byte[], int, int)} into {@code dst} from its position to its limit (the position ends at the
     * limit): data clusters and a raw backing file are read straight into it, a direct buffer with no heap copy.
     */
    public void read(long offset, ByteBuffer dst) throws IOException {
        int at = dst.position();
        int length = dst.remaining();
        dst.position(dst.limit());
        while (length > 0) {
            HostMapping m = resolver.resolve(GuestOffset.of(offset), length);
            int n = (int) Math.min(m.bytes(), length);
            switch (m.type()) {
                case NORMAL -> {
                    requireUnencrypted();
                    data.get().read(m.hostOffset(), dst.slice(at, n));
                }
                case ZERO_PLAIN, ZERO_ALLOC -> ZeroFill.fill(dst, at, at + n);
                case UNALLOCATED_PLAIN, UNALLOCATED_ALLOC -> readBacking(offset, dst, at, n);
                case COMPRESSED -> {
                    requireUnencrypted();
                    long entryAt = m.l2Offset() + (long) m.l2Index() * resolver.geometry().l2EntrySize();
                    byte[] cluster = compressed.read(m.descriptor(), entryAt);
                    dst.put(at, cluster, (int) resolver.geometry().offsetInCluster(offset), n);
                }
                default -> throw new IllegalStateException("unexpected type " + m.type());
            }
            offset += n;
            at += n;
            length -= n;
        }
    }

    private void requireUnencrypted() throws UnsupportedImageException {
        if (layer.encrypted()) {
            throw new UnsupportedImageException(Structure.HEADER, 32, "reading encrypted guest data is not supported");
        }
    }

    /** Unallocated: the backing file's bytes, zeros past its end or without one (spec 2.4). */
    private void readBacking(long offset, ByteBuffer dst, int at, int n) throws IOException {
        ImageLayer b = layer.backing();
        if (b == null) {
            if (layer.backingFileName() != null && layer.backingError() != null) {
                throw layer.backingError();
            }
            ZeroFill.fill(dst, at, at + n);
            return;
        }
        int inBacking = (int) Math.max(0, Math.min(n, b.virtualSize() - offset));
        if (inBacking > 0) {
            b.read(offset, dst.slice(at, inBacking));
        }
        ZeroFill.fill(dst, at + inBacking, at + n);
    }
}

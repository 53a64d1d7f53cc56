package io.qcowscope.engine.write;

import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.image.ImageLayer;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.image.RawImage;
import io.qcowscope.engine.mapping.HostMapping;
import java.io.IOException;

/**
 * QEMU's is_zero / bdrv_co_is_zero_fast: a range "is zero" when block status without {@code want_zero} says so for the
 * whole range in one extent. Only zero flags and unallocated ranges (through the chain, or past a short backing file)
 * count; stored data never does, even if it holds zeros, and a raw backing file is always data. Decides both whether a
 * COW region may be zeroed instead of copied (handle_alloc_space) and whether a partial zero write may widen to a whole
 * subcluster (spec 3.6 C).
 */
final class ZeroDetector {
    private final WritableImage img;

    ZeroDetector(WritableImage img) {
        this.img = img;
    }

    boolean isZero(long offset, long bytes) throws IOException {
        if (bytes <= 0) {
            return true;
        }
        Boolean zeroClass = null;
        long pos = offset;
        long end = offset + bytes;
        while (pos < end) {
            long[] e = img.entryOf(pos);
            SubclusterType t = img.typeAt(pos, e);
            long runEnd = runEnd(pos, e, t);
            boolean zero;
            if (t.isZero()) {
                zero = true;
            } else if (t.isUnallocated()) {
                zero = false;
            } else {
                return false;
            }
            // one extent: all of the range must be zero flags, or all of it unallocated
            if (zeroClass != null && zeroClass != zero) {
                return false;
            }
            zeroClass = zero;
            pos = Math.min(end, runEnd);
        }
        return zeroClass || backingIsZero(img.backing(), offset, bytes);
    }

    /**
     * Where the run of subclusters of one type that holds {@code pos} ends: the cluster's end, or with extended L2 (not
     * compressed) the end of the run of like subclusters in the bitmap (spec 3.5).
     */
    private long runEnd(long pos, long[] e, SubclusterType t) {
        var geo = img.geo();
        long clusterStart = geo.startOfCluster(pos);
        if (!geo.extendedL2() || t == SubclusterType.COMPRESSED) {
            return clusterStart + geo.clusterSize();
        }
        int sc = geo.subclusterIndex(pos);
        int run = L2Entry.subclusterRun(e[0], e[1], sc, true, false);
        return clusterStart + ((long) (sc + run) << geo.subclusterBits());
    }

    /**
     * Whether the guest range reads as zeros by content, as far as metadata and host holes tell without reading: zero
     * flags, and unallocated ranges whose backing chain ends in zero flags, a hole of a raw file or the end of a short
     * backing file. Stored data never counts, even if it holds zeros. Unlike {@link #isZero} (QEMU's block status), a
     * raw file's holes count: this decides only which COW bytes need not be read and written, never QEMU's choices.
     */
    boolean readsAsZeros(long offset, long bytes) throws IOException {
        long pos = offset;
        long end = offset + bytes;
        while (pos < end) {
            long[] e = img.entryOf(pos);
            SubclusterType t = img.typeAt(pos, e);
            long runEnd = runEnd(pos, e, t);
            long n = Math.min(end, runEnd) - pos;
            if (!t.isZero() && !(t.isUnallocated() && layerReadsAsZeros(img.backing(), pos, n))) {
                return false;
            }
            pos += n;
        }
        return true;
    }

    private static boolean layerReadsAsZeros(ImageLayer layer, long offset, long bytes) throws IOException {
        if (layer == null || offset >= layer.virtualSize()) {
            return true;
        }
        long end = Math.min(offset + bytes, layer.virtualSize());
        if (layer instanceof RawImage raw) {
            long data = raw.storage().nextData(offset);
            return data < 0 || data >= end;
        }
        if (!(layer instanceof Qcow2Image q)) {
            return false;
        }
        long pos = offset;
        while (pos < end) {
            HostMapping m = q.lookup(pos, end - pos);
            long n = Math.max(1, Math.min(m.bytes(), end - pos));
            if (!m.type().isZero() && !(m.type().isUnallocated() && layerReadsAsZeros(q.backing(), pos, n))) {
                return false;
            }
            pos += n;
        }
        return true;
    }

    private static boolean backingIsZero(ImageLayer layer, long offset, long bytes) throws IOException {
        if (layer == null || offset >= layer.virtualSize()) {
            return true; // nothing below, or past the end of a short backing file: zeros
        }
        if (!(layer instanceof Qcow2Image q)) {
            return false; // raw: data without want_zero
        }
        HostMapping m = q.lookup(offset, bytes);
        if (m.bytes() < bytes) {
            return false;
        }
        if (m.type().isZero()) {
            return true;
        }
        return m.type().isUnallocated() && backingIsZero(q.backing(), offset, bytes);
    }
}

package io.qcowscope.engine.image;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.mapping.L2Source;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.storage.ClusterReadAhead;
import java.io.IOException;

/**
 * An image's active L2 tables for one pass in guest order: the tables of the L1 entries from a start on are read ahead in
 * L1 order ({@link ClusterReadAhead}) into a few reused buffers, so a scan of a 1 TiB disk neither goes through nor grows
 * the image's cache (and makes no garbage per table). A table asked for out of that order comes from the image's cache,
 * as it would without the scan.
 */
final class ReadAheadL2Source implements L2Source, AutoCloseable {
    private final Qcow2Image img;
    private final Geometry geo;
    private final ClusterReadAhead ahead;
    private final long[] offsets;
    private L2Table current;

    ReadAheadL2Source(Qcow2Image img, long guestStart) {
        this.img = img;
        this.geo = img.geometry();
        int l1Size = img.l1Size();
        long first = Math.max(0, Math.min(l1Size, geo.l1Index(Math.max(0, guestStart))));
        offsets = new long[(int) (l1Size - first)];
        int count = 0;
        for (long i = first; i < l1Size; i++) {
            long l2 = L1Entry.l2Offset(img.l1Entry(i));
            // the resolver asks for exactly these: non-zero and aligned (an unaligned one is its typed error)
            if (l2 != 0 && (l2 & geo.clusterMask()) == 0) {
                offsets[count++] = l2;
            }
        }
        this.ahead = new ClusterReadAhead(img.storage(), (int) geo.clusterSize(), true, offsets, count);
    }

    @Override
    public int l1Size() {
        return img.l1Size();
    }

    @Override
    public long l1Entry(long index) {
        return img.l1Entry(index);
    }

    @Override
    public long l1Offset() {
        return img.l1Offset();
    }

    @Override
    public L2Table l2Table(long offset) throws IOException {
        if (current != null && current.offset() == offset) {
            return current;
        }
        int next = ahead.consumed();
        if (next < ahead.count() && offsets[next] == offset) {
            current = L2Table.of(ahead.next().words(), geo, img.hasDataFile(), offset);
            return current;
        }
        return img.l2Table(offset);
    }

    @Override
    public void close() {
        current = null;
        ahead.close();
    }
}

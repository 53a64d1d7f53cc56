package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * The refcount rebuild of {@code qemu-img check -r all} placed where QEMU 7.2 places it (spec 5.5;
 * rebuild_refcount_structure): each refcount block goes to the first cluster the in-memory refcount table (the references
 * found) leaves free, searching from the start of its own range at the earliest; then the table goes to the first run of
 * free clusters from cluster 0, the blocks covering it are rewritten, and the table is placed again while that made it
 * grow. Free clusters inside the file (leaked ones too) are reused, unlike {@link RefcountRebuilder}, which our own
 * repair keeps. Order (Appendix B.3): blocks and table written and synced, then one header write switches to them.
 */
public final class QemuRefcountRebuild {

    private final Storage s;
    private final Geometry g;
    private final ReferenceCounts refs;
    private final long found;
    /** Clusters the rebuild took (one reference each, on clusters no reference claims): refblocks and tables. */
    private final TreeSet<Long> taken = new TreeSet<>();
    /** The in-memory refcount table's length in clusters; it grows when an allocation runs past it. */
    private long imrtClusters;
    private long[] table = new long[0];
    private int blocksWritten;

    private QemuRefcountRebuild(Storage s, Geometry g, ReferenceCounts refs) throws IOException {
        this.s = s;
        this.g = g;
        this.refs = refs;
        this.found = refs.clusterCount();
        this.imrtClusters = Math.max(found, g.clustersFor(s.size()));
    }

    public static RefcountRebuilder.Result rebuild(Storage s, Geometry g, ReferenceCounts refs) throws IOException {
        return new QemuRefcountRebuild(s, g, refs).run();
    }

    private RefcountRebuilder.Result run() throws IOException {
        long cs = g.clusterSize();
        long first = Long.MAX_VALUE;
        writeRefblocks(0, imrtClusters);
        long tableStart;
        long tableClusters;
        boolean grown;
        do {
            tableClusters = (table.length * 8L + cs - 1) / cs;
            if (tableClusters * cs > Limits.MAX_REFTABLE_BYTES) {
                throw new Qcow2Exception(Structure.REFCOUNT_TABLE, -1, "a rebuilt refcount table would need "
                        + tableClusters + " clusters, more than QEMU accepts");
            }
            // A table placed before it grew stays taken: the leak pass after the rebuild frees it (as QEMU's does).
            tableStart = allocate((int) tableClusters, new long[] {0});
            first = Math.min(first, tableStart);
            grown = writeRefblocks(tableStart, tableStart + tableClusters);
        } while (grown);
        ByteBuffer t = ByteBuffer.allocate((int) (tableClusters * cs));
        for (long e : table) {
            t.putLong(e);
        }
        s.write(tableStart * cs, t.array(), 0, t.capacity());
        s.flush();
        // The switch: one write of bytes 48..59 (spec B.3 step 5), synced.
        ByteBuffer h = ByteBuffer.allocate(12);
        h.putLong(0, tableStart * cs);
        h.putInt(8, (int) tableClusters);
        s.write(48, h.array(), 0, 12);
        s.flush();
        long firstNew = taken.isEmpty() ? tableStart : Math.min(first, taken.first());
        return new RefcountRebuilder.Result(tableStart * cs, tableClusters, firstNew, blocksWritten);
    }

    /** References to cluster {@code c} in the in-memory table: those found, or the one the rebuild gave it. */
    private long refcount(long c) {
        long v = c < found ? refs.get(c) : 0;
        return v != 0 ? v : taken.contains(c) ? 1 : 0;
    }

    /**
     * alloc_clusters_imrt: the first run of {@code count} free clusters from {@code firstFree[0]}, which moves to the
     * first free cluster seen; a run reaching the table's end continues past it (the table grows).
     */
    private long allocate(int count, long[] firstFree) {
        long c = firstFree[0];
        int run = 0;
        boolean firstGap = true;
        for (; c < imrtClusters && run < count; c++) {
            if (refcount(c) == 0) {
                run++;
                if (firstGap) {
                    firstFree[0] = c;
                    firstGap = false;
                }
            } else {
                run = 0;
            }
        }
        if (run < count) {
            imrtClusters = c + count - run;
        }
        long start = c - run;
        for (long i = 0; i < count; i++) {
            taken.add(start + i);
        }
        return start;
    }

    /**
     * rebuild_refcounts_write_refblocks: for every refcount range with a non-zero count in clusters
     * {@code [from, end)}, allocates its block unless the table already has one, and writes the range's counts there.
     * Returns whether the table grew.
     */
    private boolean writeRefblocks(long from, long end) throws IOException {
        long entries = g.refblockEntries();
        long[] firstFree = {0};
        boolean grown = false;
        for (long c = from; c < end; c++) {
            if (refcount(c) == 0) {
                continue;
            }
            long range = c / entries;
            long rangeStart = range * entries;
            long block;
            if (range < table.length && table[(int) range] != 0) {
                block = table[(int) range] >>> g.clusterBits();
            } else {
                // Never a block inside a range already written.
                firstFree[0] = Math.max(firstFree[0], rangeStart);
                block = allocate(1, firstFree);
                if (block >= end) {
                    end = block + 1; // the block holding this block's count must be written too
                }
                if (range >= table.length) {
                    long perCluster = g.clusterSize() / 8;
                    long size = (range / perCluster + 1) * perCluster;
                    if (size * 8 > Limits.MAX_REFTABLE_BYTES) {
                        throw new Qcow2Exception(Structure.REFCOUNT_TABLE, -1, "a rebuilt refcount table would need "
                                + size + " entries, more than QEMU accepts");
                    }
                    table = Arrays.copyOf(table, (int) size);
                    grown = true;
                }
                table[(int) range] = block << g.clusterBits();
            }
            writeBlock(range, block);
            c = rangeStart + entries - 1;
        }
        return grown;
    }

    /** The refcount block of {@code range}: the in-memory counts of its clusters, encoded at the image's width. */
    private void writeBlock(long range, long block) throws IOException {
        long entries = g.refblockEntries();
        byte[] bytes = new byte[(int) g.clusterSize()];
        long first = range * entries;
        for (long i = 0; i < entries; i++) {
            long c = first + i;
            long v = refcount(c);
            if (v == 0) {
                continue;
            }
            if (g.refcountOrder() < 6 && Long.compareUnsigned(v, g.refcountMax()) > 0) {
                throw new Qcow2Exception(Structure.REFCOUNT_BLOCK, block << g.clusterBits(), "cluster " + c + " has "
                        + v + " references, more than " + g.refcountBits() + "-bit refcounts hold");
            }
            RefcountBlockCodec.set(bytes, i, g.refcountOrder(), v);
        }
        s.write(block << g.clusterBits(), bytes, 0, bytes.length);
        blocksWritten++;
    }
}

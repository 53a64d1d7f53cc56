package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Finds free host clusters the way QEMU does (alloc_clusters_noref: first fit from a moving free index), marks them used,
 * and adds refcount blocks and grows the refcount table when the clusters are not covered yet (spec 3.6 "refcount blocks
 * that must be added", 4.1, B.3 step 1).
 */
final class ClusterAllocator {
    private final Storage storage;
    private final Geometry geo;
    private final RefcountTable refcounts;
    private final HeaderUpdater header;
    private long freeIndex;

    ClusterAllocator(Storage storage, Geometry geo, RefcountTable refcounts, HeaderUpdater header) {
        this.storage = storage;
        this.geo = geo;
        this.refcounts = refcounts;
        this.header = header;
    }

    /** QEMU lowers its free index when a cluster is freed. */
    void freed(long clusterIndex) {
        if (clusterIndex >= 0 && clusterIndex < freeIndex) {
            freeIndex = clusterIndex;
        }
    }

    /**
     * Allocates {@code n} contiguous clusters with refcount 1 and returns the host offset of the first. When a cluster of
     * the run needs a new refcount block, QEMU's update_refcount fails with -EAGAIN after reverting the clusters it had
     * already counted, which moves its free index back to the start of the run; the search then starts again.
     */
    long allocate(int n) throws IOException {
        while (true) {
            long start = findFree(n);
            long missing = firstWithoutBlock(start, n);
            if (missing >= 0) {
                createBlockFor(missing, 0);
                if (missing > start) {
                    freeIndex = Math.min(freeIndex, start);
                }
                continue;
            }
            incrementRun(start, n);
            return start << geo.clusterBits();
        }
    }

    /**
     * QEMU's qcow2_alloc_clusters_at: takes as many of the {@code n} clusters from {@code hostOffset} on as are free, in
     * a row, and returns how many (0 when the first is used). The free index is left alone. A cluster of the run without
     * a refcount block gets one first (update_refcount's -EAGAIN), and the free clusters are counted again.
     */
    int allocateAt(long hostOffset, int n) throws IOException {
        long start = hostOffset >>> geo.clusterBits();
        if (start + n > Limits.MAX_HOST_OFFSET >>> geo.clusterBits()) {
            return 0;
        }
        while (true) {
            int free = 0;
            while (free < n && refcounts.get(start + free) == 0) {
                free++;
            }
            long missing = firstWithoutBlock(start, free);
            if (missing >= 0) {
                createBlockFor(missing, 0);
                continue;
            }
            incrementRun(start, free);
            return free;
        }
    }

    /** The first of {@code n} clusters from {@code start} that no refcount block covers, or -1. */
    private long firstWithoutBlock(long start, long n) {
        for (long c = start; c < start + n; c++) {
            if (!refcounts.hasBlock(c)) {
                return c;
            }
        }
        return -1;
    }

    private void incrementRun(long start, long n) throws IOException {
        for (long c = start; c < start + n; c++) {
            refcounts.increment(c);
        }
    }

    /** First fit of {@code n} free clusters from the free index (QEMU's alloc_clusters_noref). */
    private long findFree(int n) throws IOException {
        long maxCluster = Limits.MAX_HOST_OFFSET >>> geo.clusterBits();
        while (true) {
            boolean ok = true;
            for (int i = 0; i < n; i++) {
                long c = freeIndex++;
                if (c > maxCluster) {
                    throw new Qcow2FormatException(Structure.IMAGE_FILE, -1, "no free host cluster below 2^56");
                }
                if (refcounts.get(c) != 0) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return freeIndex - n;
            }
        }
    }

    /**
     * QEMU's alloc_refcount_block: the new block goes to the next free cluster; it describes itself when it falls in its
     * own range, else its refcount is stored through another block (recursing at most twice).
     */
    private void createBlockFor(long clusterIndex, int depth) throws IOException {
        if (depth > 8) {
            throw new Qcow2FormatException(Structure.REFCOUNT_TABLE, -1, "cannot place a refcount block");
        }
        int r = refcounts.reftableIndex(clusterIndex);
        if (r >= refcounts.reftable().length) {
            growReftable(clusterIndex);
            return;
        }
        long blockCluster = findFree(1);
        long blockOffset = blockCluster << geo.clusterBits();
        if (refcounts.reftableIndex(blockCluster) == r) {
            refcounts.installBlock(r, blockOffset);
            refcounts.set(blockCluster, 1);
        } else {
            while (!refcounts.hasBlock(blockCluster)) {
                createBlockFor(blockCluster, depth + 1);
            }
            if (refcounts.get(blockCluster) != 0) {
                createBlockFor(clusterIndex, depth + 1); // the chosen cluster went to new metadata meanwhile
                return;
            }
            refcounts.increment(blockCluster);
            refcounts.installBlock(r, blockOffset);
        }
        // New block on disk before the reftable entry that points at it (spec B.3 step 1).
        refcounts.writeDirtyBlocks();
        storage.flush();
        byte[] entry = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(blockOffset).array();
        storage.write(refcounts.reftableOffset() + 8L * r, entry, 0, 8);
        storage.flush();
    }

    /**
     * Grows the refcount table so index {@code needed} exists: new blocks for the area and the new table are placed past
     * every used cluster, describing themselves, written and synced, then the header is switched in one write and the old
     * table freed (spec 4.1, B.3 step 5).
     */
    private void growReftable(long clusterIndex) throws IOException {
        long[] old = refcounts.reftable();
        long epc = geo.clusterSize() / 8;
        int rb = geo.refblockBits();
        int needed = refcounts.reftableIndex(clusterIndex);
        // QEMU (alloc_refcount_block): the area starts at the first refcount-block range boundary at or after the
        // cluster that needs a block; no block covers anything there, so it is all free.
        long areaStart = Math.max(highestUsedCluster() + 1,
                (clusterIndex + geo.refblockEntries() - 1) >>> rb << rb);
        long tableClusters = (Math.max(needed + 1L, old.length + old.length / 2) + epc - 1) / epc;
        long blocks = 0;
        while (true) {
            long areaEnd = areaStart + blocks + tableClusters;
            long lastR = (areaEnd - 1) >>> rb;
            long need = Math.max(needed, lastR) + 1;
            if (need > tableClusters * epc) {
                tableClusters = (need + epc - 1) / epc;
                continue;
            }
            long missing = 0;
            for (long r = areaStart >>> rb; r <= lastR; r++) {
                if (r >= old.length || old[(int) r] == 0) {
                    missing++;
                }
            }
            if (missing == blocks) {
                break;
            }
            blocks = missing;
        }
        if (tableClusters * geo.clusterSize() > Limits.MAX_REFTABLE_BYTES) {
            throw new Qcow2FormatException(Structure.REFCOUNT_TABLE, refcounts.reftableOffset(), "refcount table would exceed "
                    + Limits.MAX_REFTABLE_BYTES + " bytes");
        }
        long[] table = new long[(int) (tableClusters * epc)];
        System.arraycopy(old, 0, table, 0, old.length);
        long oldOffset = refcounts.reftableOffset();
        long oldClusters = (old.length * 8L + geo.clusterMask()) >>> geo.clusterBits();
        long tableStart = areaStart + blocks;
        long areaEnd = tableStart + tableClusters;
        refcounts.replaceTable(table, oldOffset);
        long next = areaStart;
        for (long r = areaStart >>> rb; r <= (areaEnd - 1) >>> rb; r++) {
            if (table[(int) r] == 0) {
                refcounts.installBlock((int) r, next << geo.clusterBits());
                next++;
            }
        }
        if (next != tableStart) {
            throw new IllegalStateException("refcount table growth miscounted its blocks");
        }
        for (long c = areaStart; c < areaEnd; c++) {
            refcounts.set(c, 1);
        }
        // Blocks and table on disk before the header points at them (spec B.3 step 5).
        refcounts.writeDirtyBlocks();
        long tableOffset = tableStart << geo.clusterBits();
        ByteBuffer bb = ByteBuffer.allocate(table.length * 8).order(ByteOrder.BIG_ENDIAN);
        bb.asLongBuffer().put(table);
        storage.write(tableOffset, bb.array(), 0, bb.capacity());
        storage.flush();
        header.setRefcountTable(tableOffset, tableClusters);
        refcounts.replaceTable(table, tableOffset);
        refcounts.decrementLater(oldOffset >>> geo.clusterBits(), oldClusters);
    }

    private long highestUsedCluster() throws IOException {
        long clusters = (storage.size() + geo.clusterMask()) >>> geo.clusterBits();
        long c = Math.max(clusters, freeIndex) + 1;
        while (c > 0 && refcounts.get(c - 1) == 0) {
            c--;
        }
        return c - 1;
    }
}

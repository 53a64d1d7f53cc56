package io.qcowscope.engine.write;

import io.qcowscope.engine.storage.Storage;
import java.io.IOException;

/**
 * The flush points of spec B.3, in order. Guest data and COW copies are written at once; metadata waits in memory and
 * goes out here: (1) refcount increments and new blocks, sync; (2) L2 tables, sync; (3) L1 entries, sync; (4) refcount
 * decrements of clusters no longer referenced, sync; (5) holes punched in the clusters a discard freed. A process killed
 * anywhere leaves only leaks: every on-disk reference points at a cluster whose on-disk refcount already counts it, a
 * freed cluster is reused only after step 4, and no on-disk table points at a punched cluster.
 */
final class WriteOrdering {
    private final Storage storage;
    private final RefcountTable refcounts;
    private final L2Updater l2;
    private final ClusterAllocator allocator;

    WriteOrdering(Storage storage, RefcountTable refcounts, L2Updater l2, ClusterAllocator allocator) {
        this.storage = storage;
        this.refcounts = refcounts;
        this.l2 = l2;
        this.allocator = allocator;
    }

    void flush() throws IOException {
        if (refcounts.dirty()) {
            refcounts.writeDirtyBlocks();
        }
        storage.flush();
        if (l2.dirtyTableCount() > 0) {
            l2.writeDirtyTables();
            storage.flush();
        }
        if (l2.l1Dirty()) {
            l2.writeDirtyL1();
            storage.flush();
        }
        if (refcounts.hasPendingDecrements()) {
            long lowest = refcounts.applyDecrements();
            refcounts.writeDirtyBlocks();
            storage.flush();
            allocator.freed(lowest);
            long cs = 1L << refcounts.clusterBits();
            for (long[] run : refcounts.takeFreedToPunch()) {
                storage.punchHole(run[0] * cs, run[1] * cs);
            }
        }
    }
}

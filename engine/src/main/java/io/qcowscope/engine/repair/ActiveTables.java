package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;

/**
 * One walk of the active L1 table and its L2 tables, visiting the entries a repair may rewrite: L1 entries with a usable L2
 * table, and L2 entries that own a host cluster (NORMAL or ZERO_ALLOC, spec 3.3). Entries with reserved bits or unaligned
 * offsets are skipped: other fixes answer them. L2 tables at or past the end of the file are not read. QEMU's
 * check_oflag_copied skips none of them: {@link #walkAsQemu} visits every L1 entry with an offset and every NORMAL or
 * ZERO_ALLOC L2 entry, broken or not.
 */
final class ActiveTables {

    /** Receives the entries in table order. */
    interface Visitor {
        void l1Entry(int l1Index, long entryOffset, long raw, long l2Offset) throws IOException;

        void clusterEntry(int l1Index, long l2Offset, int l2Index, long entryOffset, long word0, long guestOffset)
                throws IOException;
    }

    /** A visitor of the cluster entries alone. */
    interface ClusterVisitor {
        void clusterEntry(int l1Index, long l2Offset, int l2Index, long entryOffset, long word0, long guestOffset)
                throws IOException;
    }

    private ActiveTables() {
    }

    /** As {@link #walk}, the cluster entries only. */
    static void walkClusters(Qcow2Image img, ProgressMonitor monitor, ClusterVisitor v) throws IOException {
        walk(img, monitor, new Visitor() {
            @Override
            public void l1Entry(int l1Index, long entryOffset, long raw, long l2Offset) {
            }

            @Override
            public void clusterEntry(int l1Index, long l2Offset, int l2Index, long entryOffset, long w, long guest)
                    throws IOException {
                v.clusterEntry(l1Index, l2Offset, l2Index, entryOffset, w, guest);
            }
        });
    }

    static void walk(Qcow2Image img, ProgressMonitor monitor, Visitor v) throws IOException {
        walk(img, monitor, false, v);
    }

    /** As {@link #walk}, broken entries included (their L2 tables are read only where they can be). */
    static void walkAsQemu(Qcow2Image img, ProgressMonitor monitor, Visitor v) throws IOException {
        walk(img, monitor, true, v);
    }

    private static void walk(Qcow2Image img, ProgressMonitor monitor, boolean broken, Visitor v) throws IOException {
        Geometry g = img.geometry();
        long fileClusters = g.clustersFor(img.storage().size());
        long l1At = img.header().l1TableOffset();
        long[] l1 = img.l1Table();
        for (int i = 0; i < l1.length; i++) {
            monitor.checkCancelled();
            long e = l1[i];
            long l2 = L1Entry.l2Offset(e);
            boolean unusable = (l2 & g.clusterMask()) != 0 || L1Entry.reservedBits(e) != 0
                    || (l2 >>> g.clusterBits()) >= fileClusters;
            if (l2 == 0 || unusable && !broken) {
                continue;
            }
            v.l1Entry(i, l1At + 8L * i, e, l2);
            if (unusable) {
                continue;
            }
            L2Table t = img.l2Table(l2);
            for (int j = 0; j < t.entries(); j++) {
                long w = t.word0(j);
                ClusterType type = t.clusterType(j);
                if (type != ClusterType.NORMAL && type != ClusterType.ZERO_ALLOC || !broken
                        && ((L2Entry.hostOffset(w) & g.clusterMask()) != 0 || (w & L2Entry.RESERVED_MASK) != 0)) {
                    continue;
                }
                v.clusterEntry(i, l2, j, t.entryOffset(j), w,
                        i * g.bytesPerL1Entry() + ((long) j << g.clusterBits()));
            }
        }
    }
}

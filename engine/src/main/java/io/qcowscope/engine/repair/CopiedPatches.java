package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * The OFLAG_COPIED rule (spec 4.2, 5.4 step 4): in the active L1 and its L2 tables, COPIED is set exactly where the
 * cluster's refcount is 1 (always 1 with an external data file). Walks the active tables once and lists the entries to
 * rewrite, judged against the refcounts the caller gives (the references found, or the on-disk refcounts after a fix).
 */
final class CopiedPatches {
    /** One entry to flip, with where it is and which guest range it covers. */
    record Flip(String path, Patch patch, long guestOffset, long guestLength) {
    }

    private CopiedPatches() {
    }

    static List<Flip> compute(Qcow2Image img, LongUnaryOperator refcountOf, ProgressMonitor monitor) throws IOException {
        Geometry g = img.geometry();
        long fileClusters = g.clustersFor(img.storage().size());
        long l1At = img.header().l1TableOffset();
        List<Flip> out = new ArrayList<>();
        long[] l1 = img.l1Table();
        for (int i = 0; i < l1.length; i++) {
            monitor.checkCancelled();
            long e = l1[i];
            long l2 = L1Entry.l2Offset(e);
            if (l2 == 0 || (l2 & g.clusterMask()) != 0 || L1Entry.reservedBits(e) != 0) {
                continue;
            }
            long cluster = l2 >>> g.clusterBits();
            if (cluster >= fileClusters) {
                continue;
            }
            boolean want = refcountOf.applyAsLong(cluster) == 1;
            if (want != L1Entry.copied(e)) {
                long ne = want ? e | L1Entry.COPIED : e & ~L1Entry.COPIED;
                out.add(new Flip("L1[" + i + "]", Patch.word(l1At + 8L * i, e, ne), i * g.bytesPerL1Entry(),
                        g.bytesPerL1Entry()));
            }
            long[] t = img.l2Table(l2);
            int step = g.extendedL2() ? 2 : 1;
            for (int j = 0; j < g.l2Entries(); j++) {
                long w = t[j * step];
                ClusterType type = L2Entry.clusterType(w, g.extendedL2(), img.hasDataFile());
                if (type != ClusterType.NORMAL && type != ClusterType.ZERO_ALLOC) {
                    continue;
                }
                long host = L2Entry.hostOffset(w);
                if ((host & g.clusterMask()) != 0 || (w & L2Entry.RESERVED_MASK) != 0) {
                    continue;
                }
                boolean wantData;
                if (img.hasDataFile()) {
                    wantData = true;
                } else {
                    long c = host >>> g.clusterBits();
                    if (c >= fileClusters) {
                        continue;
                    }
                    wantData = refcountOf.applyAsLong(c) == 1;
                }
                if (wantData != L2Entry.copied(w)) {
                    long nw = wantData ? w | L2Entry.COPIED : w & ~L2Entry.COPIED;
                    long guest = i * g.bytesPerL1Entry() + ((long) j << g.clusterBits());
                    out.add(new Flip("L1[" + i + "] -> L2@0x" + Long.toHexString(l2) + "[" + j + "]",
                            Patch.word(l2 + (long) j * g.l2EntrySize(), w, nw), guest, g.clusterSize()));
                }
            }
        }
        return out;
    }
}

package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.image.Qcow2Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the active L2 entries that point at given data clusters, so a cluster two entries share without the refcount to
 * say so can be copied for one of them instead (issue 5's unshare fix). One walk of the active tables.
 */
final class SharedClusters {
    /** An active L2 entry: where it is and the guest cluster it maps. */
    record EntryRef(long entryOffset, long word0, long guestOffset, String path) {
    }

    private SharedClusters() {
    }

    static Map<Long, List<EntryRef>> find(Qcow2Image img, Set<Long> clusters) throws IOException {
        Map<Long, List<EntryRef>> out = new HashMap<>();
        if (clusters.isEmpty()) {
            return out;
        }
        Geometry g = img.geometry();
        long[] l1 = img.l1Table();
        for (int i = 0; i < l1.length; i++) {
            long l2 = L1Entry.l2Offset(l1[i]);
            if (l2 == 0 || (l2 & g.clusterMask()) != 0) {
                continue;
            }
            long[] t = img.l2Table(l2);
            int step = g.extendedL2() ? 2 : 1;
            for (int j = 0; j < g.l2Entries(); j++) {
                long w = t[j * step];
                ClusterType type = L2Entry.clusterType(w, g.extendedL2(), img.hasDataFile());
                if (type != ClusterType.NORMAL && type != ClusterType.ZERO_ALLOC) {
                    continue;
                }
                long c = L2Entry.hostOffset(w) >>> g.clusterBits();
                if (clusters.contains(c) && (L2Entry.hostOffset(w) & g.clusterMask()) == 0) {
                    out.computeIfAbsent(c, k -> new ArrayList<>()).add(new EntryRef(l2 + (long) j * g.l2EntrySize(), w,
                            i * g.bytesPerL1Entry() + ((long) j << g.clusterBits()),
                            "L1[" + i + "] -> L2@0x" + Long.toHexString(l2) + "[" + j + "]"));
                }
            }
        }
        return out;
    }
}

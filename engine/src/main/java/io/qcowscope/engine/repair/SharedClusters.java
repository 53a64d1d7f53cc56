package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
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
        int clusterBits = img.geometry().clusterBits();
        ActiveTables.walk(img, ProgressMonitor.NONE, new ActiveTables.Visitor() {
            @Override
            public void l1Entry(int l1Index, long entryOffset, long raw, long l2Offset) {
            }

            @Override
            public void clusterEntry(int l1Index, long l2Offset, int l2Index, long entryOffset, long w, long guest) {
                long c = L2Entry.hostOffset(w) >>> clusterBits;
                if (clusters.contains(c)) {
                    out.computeIfAbsent(c, k -> new ArrayList<>()).add(new EntryRef(entryOffset, w, guest,
                            "L1[" + l1Index + "] -> L2@0x" + Long.toHexString(l2Offset) + "[" + l2Index + "]"));
                }
            }
        });
        return out;
    }
}

package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.util.Arrays;

/**
 * Clusters a leak fix of {@code qemu-img check -r} brought to refcount 0, as runs: QEMU 7.2 discards each (update_refcount
 * with QCOW2_DISCARD_ALWAYS, passed to the file as a hole punch), so they read as zeros afterwards (spec 5.3). Runs of
 * adjacent clusters merge, so a long leak costs one entry, not one per cluster.
 */
final class FreedClusters {
    /** Pairs (first cluster, cluster count). */
    private long[] runs = new long[16];
    private int size;

    void add(long cluster) {
        if (size > 0 && runs[size - 2] + runs[size - 1] == cluster) {
            runs[size - 1]++;
            return;
        }
        if (size == runs.length) {
            runs = Arrays.copyOf(runs, size * 2);
        }
        runs[size++] = cluster;
        runs[size++] = 1;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Punches the runs inside the file; where the file system cannot, the bytes stay, as QEMU's failed discard leaves them. */
    void discard(Storage s, Geometry g) throws IOException {
        long end = s.size();
        for (int i = 0; i < size; i += 2) {
            long from = runs[i] << g.clusterBits();
            long to = Math.min(end, (runs[i] + runs[i + 1]) << g.clusterBits());
            if (from < to) {
                s.punchHole(from, to - from);
            }
        }
    }
}

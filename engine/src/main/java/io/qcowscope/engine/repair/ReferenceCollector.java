package io.qcowscope.engine.repair;

import io.qcowscope.engine.check.ClaimListener;
import io.qcowscope.engine.host.HostClusterRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Listens to a check's single pass and keeps what a repair needs: the references per host cluster (an int per cluster) and
 * the references QEMU refused to count because they reach past the end of the file, and which metadata claims each cluster.
 */
final class ReferenceCollector implements ClaimListener, ReferenceCounts {
    /** A reference past the end of the file: who holds it and where it points. */
    record PastEnd(long offset, long size, HostClusterRole role, long owner) {
    }

    private int[] counts;
    private final List<PastEnd> pastEnd = new ArrayList<>();
    private final MetadataClaims metadata = new MetadataClaims();

    ReferenceCollector(long clusters) {
        counts = new int[(int) Math.max(16, clusters)];
    }

    @Override
    public void claim(long cluster, HostClusterRole role, long owner) {
        if (cluster >= counts.length) {
            counts = Arrays.copyOf(counts, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(cluster + 1, counts.length * 2L)));
        }
        counts[(int) cluster]++;
        metadata.add(cluster, role, owner);
    }

    /** Not counted (the check's count stops at the maximum), but the claim stands. */
    @Override
    public void overflowed(long cluster, HostClusterRole role, long owner) {
        metadata.add(cluster, role, owner);
    }

    @Override
    public void beyondEnd(long offset, long size, HostClusterRole role, long owner) {
        if (pastEnd.size() < 100_000) {
            pastEnd.add(new PastEnd(offset, size, role, owner));
        }
    }

    MetadataClaims metadata() {
        return metadata;
    }

    List<PastEnd> pastEnd() {
        return pastEnd;
    }

    @Override
    public long clusterCount() {
        int n = counts.length;
        while (n > 0 && counts[n - 1] == 0) {
            n--;
        }
        return n;
    }

    @Override
    public long get(long index) {
        return index < counts.length ? counts[(int) index] : 0;
    }
}

package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Plural;
import java.util.ArrayList;
import java.util.List;

/**
 * What a guest edit did to the L2 entries of its range, from the entries before and after each cluster (spec 3.3, 3.5):
 * subclusters (or clusters, for standard L2) that became allocated or zero, entries rewritten, host clusters newly
 * referenced (COW copies included), references dropped. Counters only; the new host clusters are kept up to a bound for
 * highlighting.
 */
public final class EntryChanges {
    /** New host clusters remembered for the views; a larger change is still counted, not listed. */
    static final int MAX_LISTED = 4096;

    private final boolean extended;
    private long entriesUpdated;
    private long allocated;
    private long zeroed;
    private long newHostClusters;
    private long freed;
    private long bytesCopied;
    private final List<Long> hostClusters = new ArrayList<>();
    private final List<Long> guestClusters = new ArrayList<>();

    public EntryChanges(boolean extended) {
        this.extended = extended;
    }

    /** One guest cluster's entry words before and after; {@code clusterBits} to turn host offsets into clusters. */
    void add(long guestCluster, long w0Before, long bmBefore, long w0After, long bmAfter, int clusterBits) {
        if (w0Before == w0After && bmBefore == bmAfter) {
            return;
        }
        entriesUpdated++;
        if (guestClusters.size() < MAX_LISTED) {
            guestClusters.add(guestCluster);
        }
        if (extended) {
            boolean wasData = L2Entry.clusterType(w0Before, true, false) == ClusterType.NORMAL;
            long allocBefore = wasData ? bmBefore & L2Entry.ALL_ALLOC : 0;
            allocated += Long.bitCount(bmAfter & L2Entry.ALL_ALLOC & ~allocBefore);
            zeroed += Long.bitCount((bmAfter >>> 32) & ~(bmBefore >>> 32) & 0xFFFFFFFFL);
        } else {
            ClusterType before = L2Entry.clusterType(w0Before, false, false);
            ClusterType after = L2Entry.clusterType(w0After, false, false);
            if (after == ClusterType.NORMAL && before != ClusterType.NORMAL) {
                allocated++;
            }
            if (isZero(after) && !isZero(before)) {
                zeroed++;
            }
        }
        long hostBefore = hostCluster(w0Before, clusterBits);
        long hostAfter = hostCluster(w0After, clusterBits);
        if (hostAfter >= 0 && hostAfter != hostBefore) {
            newHostClusters++;
            if (hostClusters.size() < MAX_LISTED) {
                hostClusters.add(hostAfter);
            }
        }
        if (hostBefore >= 0 && hostAfter != hostBefore) {
            freed++;
        }
    }

    private static boolean isZero(ClusterType t) {
        return t == ClusterType.ZERO_PLAIN || t == ClusterType.ZERO_ALLOC;
    }

    private static long hostCluster(long w0, int clusterBits) {
        if (L2Entry.isCompressed(w0)) {
            return -2; // compressed data is not a whole host cluster of its own
        }
        long off = L2Entry.hostOffset(w0);
        return off == 0 ? -1 : off >>> clusterBits;
    }

    void addBytesCopied(long n) {
        bytesCopied += n;
    }

    public long entriesUpdated() {
        return entriesUpdated;
    }

    public long allocated() {
        return allocated;
    }

    public long zeroed() {
        return zeroed;
    }

    public long newHostClusters() {
        return newHostClusters;
    }

    public long freed() {
        return freed;
    }

    public long bytesCopied() {
        return bytesCopied;
    }

    /** The host clusters newly referenced, at most {@link #MAX_LISTED}. */
    public List<Long> hostClusters() {
        return List.copyOf(hostClusters);
    }

    /** The guest clusters whose entry changed, at most {@link #MAX_LISTED}. */
    public List<Long> guestClusters() {
        return List.copyOf(guestClusters);
    }

    /** "2 subclusters allocated, 0 bytes copied, 1 L2 entry updated", and the host clusters when any changed. */
    public String summary() {
        String unit = extended ? "subcluster" : "cluster";
        StringBuilder b = new StringBuilder();
        b.append(Plural.of(allocated, unit)).append(" allocated, ");
        if (zeroed > 0) {
            b.append(Plural.of(zeroed, unit)).append(" zeroed, ");
        }
        b.append(Plural.of(bytesCopied, "byte")).append(" copied, ");
        b.append(Plural.of(entriesUpdated, "L2 entry")).append(" updated");
        if (newHostClusters > 0) {
            b.append(", ").append(Plural.of(newHostClusters, "new host cluster"));
        }
        if (freed > 0) {
            b.append(", ").append(Plural.of(freed, "host reference")).append(" dropped");
        }
        return b.toString();
    }
}

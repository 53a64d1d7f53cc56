package io.qcowscope.engine.check;

import java.util.Arrays;

/**
 * What one half of the refcount comparison found (spec 5.3), in cluster order, for {@link RefcountComparison} to replay
 * on its own thread as the one-thread comparison would have reported it: each mismatch (cluster, on-disk refcount,
 * references counted) and each cluster whose refcount could not be read, up to {@code room} of them (what the findings
 * can still keep); past that only their kinds are counted, as findings past the cap are. Also the highest cluster in
 * use and whether an OFLAG_COPIED flag can disagree. No object per cluster.
 */
final class ComparedHalf {
    /** {@link #onDisk} of a cluster whose refcount block cannot be read (its {@link #counted} is unused). */
    private static final byte UNREADABLE = 1;
    private final int room;
    private int size;
    private int[] clusters = new int[16];
    private long[] onDisk = new long[16];
    private long[] counted = new long[16];
    private byte[] unreadable = new byte[16];
    /** Past {@link #room}: mismatches of each kind, unreadable clusters, and whether one had a zero refcount. */
    private long leakedPast;
    private long zeroPast;
    private long lowPast;
    private long unreadablePast;
    private boolean zeroSeenPast;
    /** The highest cluster with a refcount or a reference, or -1. */
    long high = -1;
    /** Some active entry's COPIED flag disagrees with a refcount read here. */
    boolean disagrees;

    ComparedHalf(int room) {
        this.room = Math.max(0, room);
    }

    void mismatch(int cluster, long d, long ref) {
        if (size < room) {
            add(cluster, d, ref, (byte) 0);
        } else if (Long.compareUnsigned(d, ref) >= 0) {
            leakedPast++;
        } else if (d == 0) {
            zeroPast++;
            zeroSeenPast = true;
        } else {
            lowPast++;
        }
    }

    void unreadable(int cluster) {
        if (size < room) {
            add(cluster, 0, 0, UNREADABLE);
        } else {
            unreadablePast++;
        }
    }

    private void add(int cluster, long d, long ref, byte flag) {
        if (size == clusters.length) {
            int n = (int) Math.min((long) room, size * 2L);
            clusters = Arrays.copyOf(clusters, n);
            onDisk = Arrays.copyOf(onDisk, n);
            counted = Arrays.copyOf(counted, n);
            unreadable = Arrays.copyOf(unreadable, n);
        }
        clusters[size] = cluster;
        onDisk[size] = d;
        counted[size] = ref;
        unreadable[size++] = flag;
    }

    /** Receives the recorded clusters in order. */
    interface Replay {
        void mismatch(int cluster, long d, long ref);

        void unreadable(int cluster);
    }

    /**
     * Replays the recorded clusters in order, then counts the rest into {@code findings} as findings past the cap are
     * counted; returns whether one of those had a zero refcount (the comparison then wants a rebuild).
     */
    boolean replay(Replay to, Findings findings) {
        for (int k = 0; k < size; k++) {
            if (unreadable[k] == UNREADABLE) {
                to.unreadable(clusters[k]);
            } else {
                to.mismatch(clusters[k], onDisk[k], counted[k]);
            }
        }
        count(findings, FindingKind.LEAKED_CLUSTER, leakedPast);
        count(findings, FindingKind.REFCOUNT_ZERO, zeroPast);
        count(findings, FindingKind.REFCOUNT_TOO_LOW, lowPast);
        count(findings, FindingKind.REFCOUNT_UNREADABLE, unreadablePast);
        return zeroSeenPast;
    }

    private static void count(Findings findings, FindingKind kind, long n) {
        for (long k = 0; k < n; k++) {
            findings.count(kind);
        }
    }
}

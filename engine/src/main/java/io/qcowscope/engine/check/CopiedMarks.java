package io.qcowscope.engine.check;

/**
 * What the OFLAG_COPIED rule (spec 4.2, 5.4 step 4) needs from the table walk, one bit per host cluster: some active
 * entry pointing here has COPIED set, or has it clear. The refcount comparison, which reads every on-disk refcount in
 * order anyway, then tells whether any entry can disagree; only then are the active tables walked again to name each
 * entry as QEMU does. A healthy image thus needs no second pass and no random refcount lookups.
 */
final class CopiedMarks {
    private final ClusterBitSet set;
    private final ClusterBitSet clear;
    private final long limit;
    /** Some entry cannot be judged from the bits (a cluster past the file, an external data file). */
    boolean recheck;

    CopiedMarks(long clusters) {
        this.set = new ClusterBitSet(clusters);
        this.clear = new ClusterBitSet(clusters);
        this.limit = clusters;
    }

    void mark(long cluster, boolean copied) {
        if (cluster >= limit) {
            recheck = true;
        } else if (copied) {
            set.set(cluster);
        } else {
            clear.set(cluster);
        }
    }

    /**
     * {@link #mark} for the clusters of one bit-set word at once: those in {@code claimed}, COPIED where {@code copiedBits}
     * has them; the clusters are all below the limit.
     */
    void markWord(int word, long claimed, long copiedBits) {
        set.orWord(word, copiedBits);
        clear.orWord(word, claimed & ~copiedBits);
    }

    /** Whether an entry pointing at {@code cluster} disagrees with on-disk refcount {@code onDisk} (no side effect). */
    boolean disagrees(long cluster, long onDisk) {
        return onDisk == 1 ? clear.get(cluster) : set.get(cluster);
    }

    /** Called with each on-disk refcount: an entry here disagrees when COPIED != (refcount == 1). */
    void judge(long cluster, long onDisk) {
        if (onDisk == 1 ? clear.get(cluster) : set.get(cluster)) {
            recheck = true;
        }
    }
}

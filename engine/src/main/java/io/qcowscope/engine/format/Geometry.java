package io.qcowscope.engine.format;

/**
 * The address arithmetic an image's header implies (spec 3.1, 4.1): cluster and L2 sizes, subclusters, refcount widths.
 * Pure functions of the header; no I/O.
 */
public record Geometry(int clusterBits, boolean extendedL2, int refcountOrder) {

    public Geometry {
        if (clusterBits < Limits.MIN_CLUSTER_BITS || clusterBits > Limits.MAX_CLUSTER_BITS) {
            throw new IllegalArgumentException("cluster_bits " + clusterBits);
        }
        if (refcountOrder < 0 || refcountOrder > Limits.MAX_REFCOUNT_ORDER) {
            throw new IllegalArgumentException("refcount_order " + refcountOrder);
        }
    }

    public static Geometry of(Qcow2Header h) {
        return new Geometry(h.clusterBits(), h.extendedL2(), h.refcountOrder());
    }

    public long clusterSize() {
        return 1L << clusterBits;
    }

    public long clusterMask() {
        return clusterSize() - 1;
    }

    /** Bytes per L2 entry: 8, or 16 with extended L2 (spec 3.5). */
    public int l2EntrySize() {
        return extendedL2 ? 16 : 8;
    }

    /** log2 of the number of entries in an L2 table. */
    public int l2Bits() {
        return clusterBits - (extendedL2 ? 4 : 3);
    }

    public int l2Entries() {
        return 1 << l2Bits();
    }

    /** Guest bytes covered by one L1 entry. */
    public long bytesPerL1Entry() {
        return 1L << (clusterBits + l2Bits());
    }

    public int subclustersPerCluster() {
        return extendedL2 ? Limits.SUBCLUSTERS_PER_CLUSTER : 1;
    }

    public int subclusterBits() {
        return extendedL2 ? clusterBits - 5 : clusterBits;
    }

    public long subclusterSize() {
        return 1L << subclusterBits();
    }

    public long l1Index(long guest) {
        return guest >>> (clusterBits + l2Bits());
    }

    public int l2Index(long guest) {
        return (int) ((guest >>> clusterBits) & (l2Entries() - 1));
    }

    public int subclusterIndex(long guest) {
        return extendedL2 ? (int) ((guest >>> subclusterBits()) & 31) : 0;
    }

    public long offsetInCluster(long offset) {
        return offset & clusterMask();
    }

    public long startOfCluster(long offset) {
        return offset & ~clusterMask();
    }

    public long clusterIndex(long hostOffset) {
        return hostOffset >>> clusterBits;
    }

    /** Number of L1 entries needed to cover a virtual size. */
    public long l1EntriesFor(long virtualSize) {
        long per = bytesPerL1Entry();
        return virtualSize / per + (virtualSize % per == 0 ? 0 : 1);
    }

    public int refcountBits() {
        return 1 << refcountOrder;
    }

    /** log2 of the number of refcounts in one refcount block. */
    public int refblockBits() {
        return clusterBits + 3 - refcountOrder;
    }

    public long refblockEntries() {
        return 1L << refblockBits();
    }

    /** The largest refcount this width can store. */
    public long refcountMax() {
        return refcountOrder == 6 ? -1L : (1L << refcountBits()) - 1;
    }

    /** Clusters needed for {@code bytes} bytes, rounding up. */
    public long clustersFor(long bytes) {
        return (bytes + clusterMask()) >>> clusterBits;
    }
}

package io.qcowscope.app.ui.viewmodel.repair;

import java.util.Arrays;

/**
 * What one fix changes, for drawing on the other views before anything is written: the host clusters it writes into or
 * re-points (outlined in the host map), the L2 entries it rewrites (by host byte offset of the entry, marked in the L2
 * table) and the host clusters whose refcount it changes, with the value each gets (marked in the refcount view). All
 * arrays sorted; {@code refcountAfter[i]} belongs to {@code refcountClusters[i]}, -1 when the apply recomputes it.
 */
public record FixPreview(long[] hostClusters, long[] l2Entries, long[] refcountClusters, long[] refcountAfter) {
    public static final FixPreview NONE = new FixPreview(new long[0], new long[0], new long[0], new long[0]);

    public FixPreview {
        if (refcountClusters.length != refcountAfter.length) {
            throw new IllegalArgumentException("one value per refcount");
        }
    }

    public boolean marksHost(long cluster) {
        return Arrays.binarySearch(hostClusters, cluster) >= 0;
    }

    public boolean marksEntry(long entryOffset) {
        return Arrays.binarySearch(l2Entries, entryOffset) >= 0;
    }

    public boolean marksRefcount(long cluster) {
        return Arrays.binarySearch(refcountClusters, cluster) >= 0;
    }

    /** The refcount the fix gives {@code cluster}, or -1 when it does not set one (or the apply recomputes it). */
    public long refcountAfter(long cluster) {
        int i = Arrays.binarySearch(refcountClusters, cluster);
        return i < 0 ? -1 : refcountAfter[i];
    }

    public boolean isEmpty() {
        return hostClusters.length == 0 && l2Entries.length == 0 && refcountClusters.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FixPreview p && Arrays.equals(p.hostClusters, hostClusters)
                && Arrays.equals(p.l2Entries, l2Entries) && Arrays.equals(p.refcountClusters, refcountClusters)
                && Arrays.equals(p.refcountAfter, refcountAfter);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hostClusters) * 31 + Arrays.hashCode(l2Entries);
    }

    @Override
    public String toString() {
        return "FixPreview[host=" + Arrays.toString(hostClusters) + ", l2=" + Arrays.toString(l2Entries) + ", refcounts="
                + Arrays.toString(refcountClusters) + " -> " + Arrays.toString(refcountAfter) + "]";
    }
}

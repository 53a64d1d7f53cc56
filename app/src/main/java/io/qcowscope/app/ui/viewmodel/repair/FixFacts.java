package io.qcowscope.app.ui.viewmodel.repair;

/**
 * Where one fix acts, read from the image once when the plan is made (off the UI thread): its structure path as numbers
 * (for the crumbs), what it would draw on the other views, and how it changes the references the check counts (for the
 * refcounts the apply recomputes afterwards).
 *
 * @param l1Index      the active L1 entry concerned, or -1
 * @param l2Table      host offset of the L2 table whose entry it rewrites, or -1
 * @param l2Index      that entry's index, or -1
 * @param subclusters  the subclusters whose bits it changes (extended L2, spec 3.5), ascending
 * @param guestCluster the guest cluster concerned, or -1
 * @param hostCluster  the host cluster it concerns most directly (the data cluster, the cluster whose refcount), or -1
 * @param reftable     the refcount table index of a refcount it sets, or -1
 * @param refblock     host offset of that refcount block, or -1
 * @param plannedRefcounts the refcounts it writes as planned ({@code refcountClusters} of the preview) beside the
 *                     {@code refcountAfter} values
 * @param refDeltas    pairs {@code cluster, delta}: references it adds (+1) or takes away (-1) by re-pointing an entry
 * @param guestStart   first guest byte of the subclusters it changes, or -1 (then the fix's own range stands)
 * @param guestLength  bytes of those subclusters
 */
public record FixFacts(int l1Index, long l2Table, int l2Index, int[] subclusters, long guestCluster, long hostCluster,
        int reftable, long refblock, FixPreview plannedRefcounts, long[] refDeltas, long guestStart, long guestLength) {
}

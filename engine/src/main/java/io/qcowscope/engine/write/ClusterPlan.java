package io.qcowscope.engine.write;

import java.util.List;

/**
 * What a planned write does to one guest cluster (QEMU's handle_copied / handle_alloc and calculate_l2_meta, spec 3.6):
 * the subclusters it touches, the entry before and after, whether the host cluster is written in place, kept with new
 * metadata, or replaced by a new one, and the copy-on-write regions around the data.
 *
 * @param from        first byte of the write inside the cluster
 * @param to          end of the write inside the cluster
 * @param head        the COW region before the data ({@code [cowStart, from)}), empty when none
 * @param tail        the COW region after the data ({@code [to, cowEnd)}), empty when none
 * @param cowWritten  false when the COW regions already read as zeros on disk and were not written (QEMU zeroes them
 *                    with fallocate)
 * @param newL2Table  the L1 entry pointed at no L2 table (or one shared with a snapshot), so a new one was allocated
 */
public record ClusterPlan(long guestOffset, long l1Index, int l2Index, int from, int to, int firstSubcluster,
        int lastSubcluster, long oldWord0, long oldBitmap, long newWord0, long newBitmap, Decision decision,
        Reason reason, CowRegion head, CowRegion tail, boolean cowWritten, boolean newL2Table) {

    /** Spec 3.6 A (in place, or kept with a new bitmap) and B (a new cluster). */
    public enum Decision { IN_PLACE, KEEP_CLUSTER, NEW_CLUSTER }

    /** Why the decision was taken. */
    public enum Reason {
        COPIED_NORMAL, COPIED_NEEDS_BITMAP, UNALLOCATED, ZERO, COMPRESSED, SHARED
    }

    /** A byte range inside the cluster and where its bytes come from, in runs of subclusters with one source. */
    public record CowRegion(int start, int end, List<SourceRun> sources) {
        public int length() {
            return end - start;
        }

        public boolean isEmpty() {
            return end <= start;
        }
    }

    /** Bytes {@code [start, end)} of the cluster come from {@code source}. */
    public record SourceRun(int start, int end, CowSource source) {
    }

    public int cowBytes() {
        return cowWritten ? head.length() + tail.length() : 0;
    }
}

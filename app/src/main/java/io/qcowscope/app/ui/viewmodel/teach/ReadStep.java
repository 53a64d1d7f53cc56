package io.qcowscope.app.ui.viewmodel.teach;

import io.qcowscope.app.ui.viewmodel.TablesViewModel.Decoded;

/**
 * One step of the walk of a guest read: a title, one or two sentences with this image's values, the bits to draw (or null)
 * and what the window highlights.
 */
public record ReadStep(Kind kind, int depth, String title, String text, Decoded bits, Highlight highlight,
        Concept concept) {

    public enum Kind {
        GUEST_OFFSET, L1_INDEX, L1_ENTRY, L2_TABLE, L2_ENTRY, SUBCLUSTER, HOST_OFFSET, COMPRESSED, ZEROS, BACKING, RAW,
        ERROR, ANSWER
    }

    /** The view a step shows its structure in. */
    public enum View {
        NONE, GUEST_MAP, TABLES, HOST_MAP
    }

    /**
     * What to highlight in the open image's views (only layer 0 is shown there); -1 for "nothing".
     *
     * @param hexCluster the host cluster shown in the hex view, with bytes {@code [hexStart, hexStart + hexLength)} of it
     */
    public record Highlight(View view, long guestCluster, int l1Index, int l2Index, long hostCluster, long hexCluster,
            long hexStart, long hexLength) {

        public static final Highlight NONE = new Highlight(View.NONE, -1, -1, -1, -1, -1, -1, 0);
    }
}

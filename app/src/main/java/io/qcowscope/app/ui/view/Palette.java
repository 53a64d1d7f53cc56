package io.qcowscope.app.ui.view;

import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.layout.GuestClusterState;

/**
 * Colours of the maps, chosen from the Okabe-Ito and Paul Tol palettes so that roles stay apart with the common forms of
 * colour blindness; neighbouring roles also differ in lightness. ARGB ints, for pixel buffers.
 */
public final class Palette {
    private Palette() {
    }

    /** By {@link HostClusterRole} ordinal; snapshot-only tables are lighter shades of their active kind. */
    public static int[] hostRoles(boolean dark) {
        int[] c = new int[HostClusterRole.values().length];
        c[HostClusterRole.HEADER.ordinal()] = 0xFFCC79A7;
        c[HostClusterRole.ACTIVE_L1.ordinal()] = 0xFF0072B2;
        c[HostClusterRole.SNAPSHOT_L1.ordinal()] = 0xFF56B4E9;
        c[HostClusterRole.L2_TABLE.ordinal()] = 0xFF009E73;
        c[HostClusterRole.SNAPSHOT_L2_TABLE.ordinal()] = 0xFF7FD6B9;
        c[HostClusterRole.REFCOUNT_TABLE.ordinal()] = 0xFFD55E00;
        c[HostClusterRole.REFCOUNT_BLOCK.ordinal()] = 0xFFE69F00;
        c[HostClusterRole.DATA.ordinal()] = dark ? 0xFF7A7A7A : 0xFF8A8A8A;
        c[HostClusterRole.COMPRESSED.ordinal()] = 0xFFF0E442;
        c[HostClusterRole.SNAPSHOT_TABLE.ordinal()] = 0xFF882255;
        c[HostClusterRole.BITMAP_DIRECTORY.ordinal()] = 0xFF117733;
        c[HostClusterRole.BITMAP_TABLE.ordinal()] = 0xFF332288;
        c[HostClusterRole.BITMAP_DATA.ordinal()] = 0xFF88CCEE;
        c[HostClusterRole.ENCRYPTION_HEADER.ordinal()] = 0xFFAA4499;
        c[HostClusterRole.FREE.ordinal()] = dark ? 0xFF2B2F36 : 0xFFEDEFF2;
        c[HostClusterRole.LEAKED.ordinal()] = dark ? 0xFFFFFFFF : 0xFF111111;
        c[HostClusterRole.OVERLAP.ordinal()] = 0xFF999933;
        return c;
    }

    public static int[] guestStates(boolean dark) {
        int[] c = new int[GuestClusterState.values().length];
        c[GuestClusterState.UNALLOCATED.ordinal()] = dark ? 0xFF2B2F36 : 0xFFEDEFF2;
        c[GuestClusterState.BACKING.ordinal()] = 0xFF56B4E9;
        c[GuestClusterState.ZERO.ordinal()] = 0xFFE69F00;
        c[GuestClusterState.DATA.ordinal()] = 0xFF0072B2;
        c[GuestClusterState.PARTIAL.ordinal()] = 0xFF009E73;
        c[GuestClusterState.COMPRESSED.ordinal()] = 0xFFF0E442;
        c[GuestClusterState.INVALID.ordinal()] = 0xFFCC3311;
        return c;
    }

    /** Distinct layer colours; deeper chains reuse them from backing layer 7 on (the legend names each layer). */
    static final int DISTINCT_LAYERS = 8;

    /**
     * Layer colours: code 0 = no layer (reads zeros), 1 = this image, 2.. = backing layers 1, 2, .... Coloured by layer,
     * the subclusters are drawn in these colours too, so the map never mixes layer and subcluster colours.
     */
    public static int[] layers(boolean dark) {
        int[] base = {dark ? 0xFF2B2F36 : 0xFFEDEFF2, 0xFF0072B2, 0xFFE69F00, 0xFF009E73, 0xFFCC79A7, 0xFFF0E442,
            0xFF882255, 0xFF56B4E9};
        int[] c = new int[17];
        for (int i = 0; i < c.length; i++) {
            c[i] = i < base.length ? base[i] : base[2 + (i - 2) % (base.length - 2)];
        }
        return c;
    }

    /** Subcluster colours by {@link SubclusterType} ordinal, then "read from backing". */
    public static int[] subclusters(boolean dark) {
        int[] c = new int[SubclusterType.values().length + 1];
        c[SubclusterType.UNALLOCATED_PLAIN.ordinal()] = dark ? 0xFF2B2F36 : 0xFFEDEFF2;
        c[SubclusterType.UNALLOCATED_ALLOC.ordinal()] = dark ? 0xFF6E7781 : 0xFFA8B1BC;
        c[SubclusterType.ZERO_PLAIN.ordinal()] = 0xFFE69F00;
        c[SubclusterType.ZERO_ALLOC.ordinal()] = 0xFF8C5A00;
        c[SubclusterType.NORMAL.ordinal()] = 0xFF0072B2;
        c[SubclusterType.COMPRESSED.ordinal()] = 0xFFF0E442;
        c[SubclusterType.INVALID.ordinal()] = 0xFFCC3311;
        c[SubclusterType.values().length] = 0xFF56B4E9;
        return c;
    }

    /** What a map shows behind and between its cells, in the light theme. */
    public static int lightBackground() {
        return 0xFFFFFFFF;
    }

    /** What a map shows behind and between its cells, in the dark theme. */
    public static int darkBackground() {
        return 0xFF0D1117;
    }

    public static String css(int argb) {
        return String.format("#%06x", argb & 0xFFFFFF);
    }

    public static javafx.scene.paint.Color color(int argb) {
        return javafx.scene.paint.Color.rgb((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF);
    }

    /** The outline of what the last Apply changed (a subcluster whose bits flipped): the text colour of the theme. */
    public static int applied(boolean dark) {
        return dark ? 0xFFFFFFFF : 0xFF111111;
    }

    /** The hatching of what a previewed repair changes, apart from every role colour in both themes. */
    public static int preview(boolean dark) {
        return dark ? 0xFFFF4FD8 : 0xFFD1007A;
    }
}

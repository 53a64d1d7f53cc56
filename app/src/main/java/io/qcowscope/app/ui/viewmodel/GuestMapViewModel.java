package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.GuestClusterState;
import io.qcowscope.engine.layout.GuestLayout;
import io.qcowscope.engine.mapping.GuestOffset;
import io.qcowscope.engine.mapping.L2Table;
import java.io.IOException;
import java.util.Arrays;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * The guest map: one cell per guest cluster coloured by what it reads as, or by the chain layer answering it; with extended
 * L2 each cluster also shows its 32 subclusters. One byte per guest cluster (state in the low nibble, layer in the high).
 */
public final class GuestMapViewModel implements MapModel {
    /** Sub-cell codes: the {@link SubclusterType} ordinals, plus one for "read from backing". */
    public static final int SUB_BACKING = SubclusterType.values().length;

    private final SelectionModel selection;
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final BooleanProperty colourByLayer = new SimpleBooleanProperty(this, "colourByLayer", false);
    private ImageSession session;
    private GuestLayout scan;

    public GuestMapViewModel(SelectionModel selection) {
        this.selection = selection;
        colourByLayer.addListener((o, a, b) -> bump());
    }

    /** A guest map of one scanned image with no window around it (for {@code qcowscope render}). */
    public static GuestMapViewModel of(ImageSession session, GuestLayout scan) {
        GuestMapViewModel vm = new GuestMapViewModel(new SelectionModel());
        vm.setSession(session);
        vm.accept(scan);
        return vm;
    }

    void setSession(ImageSession s) {
        session = s;
        scan = null;
        bump();
    }

    void accept(GuestLayout s) {
        scan = s;
        bump();
    }

    private void bump() {
        revision.set(revision.get() + 1);
    }

    public BooleanProperty colourByLayerProperty() {
        return colourByLayer;
    }

    /** The guest layout shown, or null before the scan finished. */
    public GuestLayout scanResult() {
        return scan;
    }

    // ---- MapModel ----

    @Override
    public long itemCount() {
        if (session == null) {
            return 0;
        }
        return session.image().geometry().clustersFor(session.image().virtualSize());
    }

    @Override
    public int codeCount() {
        return colourByLayer.get() ? 17 : GuestClusterState.values().length;
    }

    @Override
    public String codeLabel(int code) {
        if (colourByLayer.get()) {
            return code == 0 ? "no layer: zeros" : code == 1 ? "this image" : "backing layer " + (code - 1);
        }
        return GuestClusterState.values()[code].label();
    }

    @Override
    public void fillCodes(long first, byte[] dst, int off, int len) {
        if (scan == null) {
            Arrays.fill(dst, off, off + len, (byte) 0);
            return;
        }
        int n = scan.copyCodes(first, dst, off, len);
        if (n < len) {
            Arrays.fill(dst, off + n, off + len, (byte) 0);
        }
        boolean layer = colourByLayer.get();
        for (int i = off; i < off + n; i++) {
            byte b = dst[i];
            if (!layer) {
                dst[i] = (byte) (b & 0x0F);
            } else {
                dst[i] = GuestClusterState.of(b) == GuestClusterState.UNALLOCATED ? 0
                        : (byte) (GuestClusterState.depthOf(b) + 1);
            }
        }
    }

    @Override
    public int subcellsPerItem() {
        return session != null && session.image().geometry().extendedL2() ? 32 : 1;
    }

    /**
     * Sub-cell codes: {@link SubclusterType} ordinals, {@link #SUB_BACKING} where a backing layer answers; coloured by
     * layer, the layer codes of {@link #fillCodes} (this image answers its allocated and zero subclusters).
     */
    @Override
    public void fillSubcells(long item, byte[] dst) {
        SubclusterType[] t = subclusters(item);
        int depth = scan == null ? 0 : GuestClusterState.depthOf(scan.code(item));
        boolean layer = colourByLayer.get();
        for (int i = 0; i < dst.length && i < t.length; i++) {
            if (layer) {
                dst[i] = (byte) (!t[i].isUnallocated() ? 1 : depth > 0 ? depth + 1 : 0);
            } else {
                dst[i] = (byte) (t[i].isUnallocated() && depth > 0 ? SUB_BACKING : t[i].ordinal());
            }
        }
    }

    /** The type of each subcluster of guest cluster {@code g} (one entry without extended L2). */
    public SubclusterType[] subclusters(long g) {
        Qcow2Image img = session.image();
        Geometry geo = img.geometry();
        int n = geo.subclustersPerCluster();
        SubclusterType[] out = new SubclusterType[n];
        Arrays.fill(out, SubclusterType.UNALLOCATED_PLAIN);
        try {
            L2Table t = img.resolver().tableFor(GuestOffset.ofCluster(g, geo));
            if (t == null) {
                return out;
            }
            int i = geo.l2Index(g << geo.clusterBits());
            for (int sc = 0; sc < n; sc++) {
                out[sc] = t.subclusterType(i, sc);
            }
        } catch (IOException | IllegalStateException ex) {
            Arrays.fill(out, SubclusterType.INVALID);
        }
        return out;
    }

    @Override
    public String describe(long g) {
        if (session == null || g < 0 || g >= itemCount()) {
            return "";
        }
        Geometry geo = session.image().geometry();
        String s = "guest cluster " + g + " at " + Sizes.hex(g << geo.clusterBits()) + "\n";
        if (scan != null) {
            byte b = scan.code(g);
            s += GuestClusterState.of(b).label();
            int d = GuestClusterState.depthOf(b);
            if (d > 0) {
                s += " (layer " + d + " answers the unallocated part)";
            }
        }
        return s + "\nL1[" + g / geo.l2Entries() + "] L2[" + g % geo.l2Entries() + "]";
    }

    @Override
    public void select(long item) {
        selection.selectGuest(item);
    }

    @Override
    public ReadOnlyLongProperty selectedItem() {
        return selection.guestClusterProperty();
    }

    @Override
    public ReadOnlyLongProperty revision() {
        return revision.getReadOnlyProperty();
    }
}

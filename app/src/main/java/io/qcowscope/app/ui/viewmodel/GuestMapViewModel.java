package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.layout.GuestClusterState;
import io.qcowscope.engine.layout.GuestLayout;
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
    private final SubclusterCache subclusterCache;
    private ImageSession session;
    private GuestLayout scan;
    /** Guest clusters per {@link GuestClusterState}, or null while unknown. */
    private long[] stateCounts;

    /** A guest layout scan with its clusters counted per state (counted on the scan's thread, not the FX thread). */
    public record Scanned(GuestLayout layout, long[] stateCounts) {
    }

    public GuestMapViewModel(SelectionModel selection) {
        this.selection = selection;
        this.subclusterCache = SubclusterCache.throughExecutor(this::bump);
        colourByLayer.addListener((o, a, b) -> bump());
    }

    private GuestMapViewModel(SelectionModel selection, SubclusterCache subclusters) {
        this.selection = selection;
        this.subclusterCache = subclusters;
        colourByLayer.addListener((o, a, b) -> bump());
    }

    /** A guest map of one scanned image with no window around it (for {@code qcowscope render}). */
    public static GuestMapViewModel of(ImageSession session, GuestLayout scan) {
        GuestMapViewModel vm = new GuestMapViewModel(new SelectionModel());
        vm.setSession(session);
        vm.accept(scan);
        return vm;
    }

    /** Where L2 tables for the subcluster cells are read (set once by the main view-model; synchronous until then). */
    void setExecutor(TaskExecutor executor) {
        subclusterCache.setExecutor(executor);
    }

    void setSession(ImageSession s) {
        session = s;
        scan = null;
        stateCounts = null;
        subclusterCache.reset(s);
        bump();
    }

    /** A new scan: the tables may have changed since the last one, so loaded subclusters are read again. */
    void accept(GuestLayout s) {
        accept(s, null);
    }

    /** A new scan and its clusters per state ({@link #countStates}), for the legend's counts. */
    void accept(GuestLayout s, long[] counts) {
        stateCounts = counts;
        scan = s;
        subclusterCache.reset(session);
        bump();
    }

    private void bump() {
        revision.set(revision.get() + 1);
    }

    /** Guest clusters per {@link GuestClusterState} ordinal in {@code g} (one pass over its code bytes). */
    public static long[] countStates(GuestLayout g) {
        long[] n = new long[GuestClusterState.values().length];
        byte[] buf = new byte[1 << 16];
        for (long first = 0; first < g.clusters(); first += buf.length) {
            int len = g.copyCodes(first, buf, 0, buf.length);
            for (int i = 0; i < len; i++) {
                n[buf[i] & 0x0F]++;
            }
        }
        return n;
    }

    /** How many guest clusters are in the state with this ordinal; -1 before the scan (the legend then lists all). */
    public long clustersIn(int state) {
        return stateCounts == null || state >= stateCounts.length ? -1 : stateCounts[state];
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
     * layer, the layer codes of {@link #fillCodes} (this image answers its allocated and zero subclusters). False while
     * the cluster's L2 table is still loading off the UI thread (the revision changes when it lands).
     */
    @Override
    public boolean fillSubcells(long item, byte[] dst) {
        if (!subclusterCache.fill(item, dst)) {
            return false;
        }
        toCodes(item, dst);
        return true;
    }

    /** Turns the subcluster type ordinals in {@code dst} into the map's sub-cell codes. */
    private void toCodes(long item, byte[] dst) {
        int depth = scan == null ? 0 : GuestClusterState.depthOf(scan.code(item));
        boolean layer = colourByLayer.get();
        for (int i = 0; i < dst.length; i++) {
            SubclusterType t = SubclusterType.values()[dst[i]];
            if (layer) {
                dst[i] = (byte) (!t.isUnallocated() ? 1 : depth > 0 ? depth + 1 : 0);
            } else if (t.isUnallocated() && depth > 0) {
                dst[i] = (byte) SUB_BACKING;
            }
        }
    }

    /**
     * The type of each subcluster of guest cluster {@code g} (one entry without extended L2), or null while its L2 table is
     * loading through the executor.
     */
    public SubclusterType[] subclusters(long g) {
        int n = session.image().geometry().subclustersPerCluster();
        byte[] b = new byte[n];
        if (!subclusterCache.fill(g, b)) {
            return null;
        }
        SubclusterType[] out = new SubclusterType[n];
        for (int i = 0; i < n; i++) {
            out[i] = SubclusterType.values()[b[i]];
        }
        return out;
    }

    /**
     * This map for a picture painted off the UI thread (File > Export): the same codes, with sub-cells read on the
     * painting thread, one L2 table at a time, instead of through the window's cache.
     */
    @Override
    public MapModel forPicture() {
        GuestMapViewModel picture = new GuestMapViewModel(selection, SubclusterCache.direct());
        picture.setSession(session);
        picture.scan = scan;
        picture.colourByLayer.set(colourByLayer.get());
        return picture;
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

    private final ChangedItems changed = new ChangedItems();

    /** Marks the items the last Apply changed; an empty array clears the marks. */
    public void setChangedItems(long[] items) {
        changed.set(items);
        revision.set(revision.get() + 1);
    }

    @Override
    public long[] changedItems() {
        return changed.get();
    }

    @Override
    public ReadOnlyLongProperty revision() {
        return revision.getReadOnlyProperty();
    }
}

package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.GuestMapper;
import io.qcowscope.engine.task.ProgressMonitor;
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
    private Scan scan;

    public GuestMapViewModel(SelectionModel selection) {
        this.selection = selection;
        colourByLayer.addListener((o, a, b) -> bump());
    }

    /** The result of one guest scan. */
    public record Scan(byte[] codes, long allocated, long fragmented, long compressed) {
    }

    /** A guest map of one scanned image with no window around it (for {@code qcowscope render}). */
    public static GuestMapViewModel of(ImageSession session, Scan scan) {
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

    void accept(Scan s) {
        scan = s;
        bump();
    }

    private void bump() {
        revision.set(revision.get() + 1);
    }

    public BooleanProperty colourByLayerProperty() {
        return colourByLayer;
    }

    /** Walks the active L1 and its L2 tables, then asks the chain which layer answers unallocated clusters. */
    public static Scan scan(Qcow2Image img, ProgressMonitor monitor) throws IOException {
        Geometry geo = img.geometry();
        long n = geo.clustersFor(img.virtualSize());
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException("virtual disk too large for the guest map: " + n + " clusters");
        }
        byte[] codes = new byte[(int) n];
        boolean ext = geo.extendedL2();
        boolean df = img.hasDataFile();
        int entries = geo.l2Entries();
        long allocated = 0;
        long fragmented = 0;
        long compressed = 0;
        long nextContiguous = 0;
        for (int i = 0; i < img.l1Size(); i++) {
            long l2 = L1Entry.l2Offset(img.l1Entry(i));
            if (l2 == 0) {
                continue;
            }
            long[] t = img.l2Table(l2);
            for (int j = 0; j < entries; j++) {
                long g = (long) i * entries + j;
                if (g >= n) {
                    break;
                }
                long w = ext ? t[2 * j] : t[j];
                long bm = ext ? t[2 * j + 1] : 0;
                GuestClusterState s = state(w, bm, ext, df);
                codes[(int) g] = (byte) s.ordinal();
                ClusterType ct = L2Entry.clusterType(w, ext, df);
                if (ct == ClusterType.COMPRESSED) {
                    // QEMU counts compressed clusters as fragmented by nature and leaves the contiguity run alone.
                    allocated++;
                    compressed++;
                    fragmented++;
                } else if (ct == ClusterType.NORMAL || ct == ClusterType.ZERO_ALLOC) {
                    long off = L2Entry.hostOffset(w);
                    allocated++;
                    if (nextContiguous != 0 && off != nextContiguous) {
                        fragmented++;
                    }
                    nextContiguous = off + geo.clusterSize();
                }
            }
            monitor.progress(i, img.l1Size());
            monitor.checkCancelled();
        }
        if (img.backing() != null) {
            long cs = geo.clusterSize();
            GuestMapper.map(img, 0, img.virtualSize(), e -> {
                if (e.depth() == 0 || !e.present()) {
                    return;
                }
                long first = e.start() / cs;
                long last = (e.end() - 1) / cs;
                for (long c = first; c <= last; c++) {
                    byte b = codes[(int) c];
                    GuestClusterState s = GuestClusterState.of(b);
                    if (s == GuestClusterState.UNALLOCATED) {
                        codes[(int) c] = (byte) (GuestClusterState.BACKING.ordinal() | (Math.min(15, e.depth()) << 4));
                    } else if (s == GuestClusterState.PARTIAL && GuestClusterState.depthOf(b) == 0) {
                        codes[(int) c] = (byte) (b | (Math.min(15, e.depth()) << 4));
                    }
                }
            }, monitor);
        }
        return new Scan(codes, allocated, fragmented, compressed);
    }

    static GuestClusterState state(long w, long bm, boolean ext, boolean df) {
        ClusterType ct = L2Entry.clusterType(w, ext, df);
        if (!ext) {
            return switch (ct) {
                case UNALLOCATED -> GuestClusterState.UNALLOCATED;
                case ZERO_PLAIN, ZERO_ALLOC -> GuestClusterState.ZERO;
                case NORMAL -> GuestClusterState.DATA;
                case COMPRESSED -> GuestClusterState.COMPRESSED;
            };
        }
        if (ct == ClusterType.COMPRESSED) {
            return GuestClusterState.COMPRESSED;
        }
        int alloc = (int) bm;
        int zero = (int) (bm >>> 32);
        if ((alloc & zero) != 0 || (ct == ClusterType.UNALLOCATED && alloc != 0)) {
            return GuestClusterState.INVALID;
        }
        if (alloc == -1) {
            return GuestClusterState.DATA;
        }
        if (zero == -1) {
            return GuestClusterState.ZERO;
        }
        if (alloc == 0 && zero == 0) {
            return GuestClusterState.UNALLOCATED;
        }
        return GuestClusterState.PARTIAL;
    }

    public Scan scanResult() {
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
        byte[] c = scan.codes;
        int n = (int) Math.max(0, Math.min(len, c.length - first));
        if (n > 0) {
            System.arraycopy(c, (int) first, dst, off, n);
        }
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
        int depth = scan == null ? 0 : GuestClusterState.depthOf(scan.codes[(int) item]);
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
        long l2 = L1Entry.l2Offset(img.l1Entry(g / geo.l2Entries()));
        if (l2 == 0) {
            return out;
        }
        try {
            L2Entry e = img.l2Entry(l2, (int) (g % geo.l2Entries()));
            for (int i = 0; i < n; i++) {
                out[i] = e.subclusterType(i, img.hasDataFile());
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
            byte b = scan.codes[(int) g];
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

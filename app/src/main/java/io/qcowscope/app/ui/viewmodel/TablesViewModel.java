package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.repair.AppliedChanges;
import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.format.BitField;
import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.EntryFields;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.L2Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The L1 and L2 table views and the entry decoder. The L1 source is the active table or a snapshot's. Selecting an L1
 * entry loads its L2 table; selecting an L2 entry decodes it bit by bit and points the hex view at its bytes.
 */
public final class TablesViewModel {
    /** One L1 entry. */
    public record L1Row(int index, long guestStart, long guestEnd, long raw) {
        public long l2Offset() {
            return L1Entry.l2Offset(raw);
        }

        public boolean copied() {
            return L1Entry.copied(raw);
        }
    }

    /** One L2 entry; {@code bitmap} is 0 without extended L2. */
    public record L2Row(int index, long guestStart, long word0, long bitmap, boolean extended, ClusterType type) {
        public long hostOffset() {
            return type == ClusterType.COMPRESSED ? -1 : L2Entry.hostOffset(word0);
        }

        public String flags() {
            StringBuilder b = new StringBuilder();
            if (L2Entry.copied(word0)) {
                b.append("COPIED ");
            }
            if (L2Entry.isCompressed(word0)) {
                b.append("COMPRESSED ");
            }
            // In a compressed entry bit 0 belongs to the host byte offset (spec 3.4): it is no ZERO flag there.
            if (!extended && !L2Entry.isCompressed(word0) && (word0 & 1) != 0) {
                b.append("ZERO");
            }
            return b.toString().trim();
        }

        /** The type of each of the 32 subclusters (spec 3.5); empty without extended L2. */
        public io.qcowscope.engine.format.SubclusterType[] subclusters() {
            if (!extended) {
                return new io.qcowscope.engine.format.SubclusterType[0];
            }
            io.qcowscope.engine.format.SubclusterType[] t = new io.qcowscope.engine.format.SubclusterType[32];
            for (int i = 0; i < 32; i++) {
                try {
                    t[i] = L2Entry.subclusterType(word0, bitmap, i, true, false);
                } catch (IllegalStateException e) {
                    t[i] = io.qcowscope.engine.format.SubclusterType.INVALID;
                }
            }
            return t;
        }

        public String rawHex() {
            return extended ? String.format("%016x %016x", word0, bitmap) : String.format("%016x", word0);
        }
    }

    /** An entry under decoding: its words and their fields. */
    public record Decoded(String title, long word0, long bitmap, boolean extended, List<BitField> fields,
            List<BitField> bitmapFields) {
    }

    private final SelectionModel selection;
    private final HexViewModel hex;
    private final ObservableList<String> l1Sources = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper l1Source = new ReadOnlyIntegerWrapper(this, "l1Source", 0);
    private final ObservableList<L1Row> l1Rows = FXCollections.observableArrayList();
    private final ObservableList<L2Row> l2Rows = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper selectedL1 = new ReadOnlyIntegerWrapper(this, "selectedL1", -1);
    private final ReadOnlyIntegerWrapper selectedL2 = new ReadOnlyIntegerWrapper(this, "selectedL2", -1);
    private final ReadOnlyStringWrapper l2Title = new ReadOnlyStringWrapper(this, "l2Title", "");
    private final ReadOnlyObjectWrapper<Decoded> decoded = new ReadOnlyObjectWrapper<>(this, "decoded");
    private final ReadOnlyBooleanWrapper l2Loading = new ReadOnlyBooleanWrapper(this, "l2Loading", false);
    /** Synchronous until the main view-model sets the window's executor. */
    private TaskExecutor executor = new SyncTaskExecutor();
    /** Number of the latest L2 table request; a table that lands after a newer request is dropped. */
    private long l2Requests;
    /** An L2 entry chosen while its table was loading, selected when it lands; -1 when none. */
    private int pendingL2 = -1;
    private ImageSession session;
    private final ReadOnlyObjectWrapper<AppliedChanges> applied = new ReadOnlyObjectWrapper<>(this, "applied",
            AppliedChanges.NONE);
    private io.qcowscope.app.ui.viewmodel.repair.RepairPreview preview =
            new io.qcowscope.app.ui.viewmodel.repair.RepairPreview();
    private long[] l1;
    private long l1Offset;
    private long l2Offset;

    public TablesViewModel(SelectionModel selection, HexViewModel hex) {
        this.selection = selection;
        this.hex = hex;
        selection.guestClusterProperty().addListener((o, a, b) -> followSelection());
        selection.l1IndexProperty().addListener((o, a, b) -> followSelection());
    }

    private void followSelection() {
        if (session == null || l1Source.get() != 0) {
            return;
        }
        int i = selection.l1IndexProperty().get();
        if (i >= 0 && i != selectedL1.get()) {
            selectL1(i);
        }
        int j = selection.l2IndexProperty().get();
        if (j >= 0 && selection.guestClusterProperty().get() >= 0 && j != selectedL2.get()) {
            selectL2(j);
        }
    }

    /** Where L2 tables are read (set once by the main view-model, before any session). */
    void setExecutor(TaskExecutor executor) {
        this.executor = executor;
    }

    void setSession(ImageSession s) {
        session = s;
        List<String> sources = new ArrayList<>();
        sources.add("active L1");
        for (SnapshotEntry e : s.image().snapshots()) {
            sources.add("snapshot " + e.id() + " '" + e.name() + "'");
        }
        l1Source.set(-1);
        l1Sources.setAll(sources);
        selectSource(0);
    }

    /** Chooses the L1 table shown: 0 = active, i = snapshot i-1. */
    public void selectSource(int i) {
        if (session == null || i < 0 || i >= l1Sources.size()) {
            return;
        }
        ImageSession s = session;
        Qcow2Image img = s.image();
        long request = ++l2Requests; // a table still loading for the previous source must not land here
        l1Source.set(i);
        showL1(new long[0], 0);
        if (i == 0) {
            showL1(img.l1Table(), img.header().l1TableOffset());
            return;
        }
        SnapshotEntry snap = img.snapshots().get(i - 1);
        long offset = snap.l1TableOffset();
        l2Title.set("reading the L1 table of snapshot " + snap.id() + " at " + Sizes.hex(offset) + "...");
        executor.executeInteractive("read snapshot L1 table", m -> img.readL1Table(offset, snap.l1Size()),
                new TaskListener<long[]>() {
                    @Override
                    public void succeeded(long[] table) {
                        if (request == l2Requests && session == s) {
                            showL1(table, offset);
                        }
                    }

                    @Override
                    public void failed(Throwable e) {
                        if (request == l2Requests && session == s) {
                            l2Title.set("cannot read the L1 table at " + Sizes.hex(offset) + ": " + e.getMessage());
                        }
                    }
                });
    }

    /** Shows L1 table {@code table} read from {@code offset}, and the L2 table of its first allocated entry. */
    private void showL1(long[] table, long offset) {
        Qcow2Image img = session.image();
        l1 = table;
        l1Offset = offset;
        Geometry g = img.geometry();
        List<L1Row> rows = new ArrayList<>(l1.length);
        long span = g.bytesPerL1Entry();
        for (int k = 0; k < l1.length; k++) {
            rows.add(new L1Row(k, k * span, Math.min((k + 1) * span, img.virtualSize()), l1[k]));
        }
        l1Rows.setAll(rows);
        l2Loading.set(false);
        pendingL2 = -1;
        l2Rows.clear();
        selectedL1.set(-1);
        selectedL2.set(-1);
        decoded.set(null);
        l2Title.set("");
        for (int k = 0; k < l1.length; k++) {
            if (L1Entry.l2Offset(l1[k]) != 0) {
                selectL1(k);
                break;
            }
        }
    }

    /**
     * Selects L1 entry {@code index}: decodes it now, and loads its L2 table through the executor (the rows stay empty, the
     * title says so, until it lands); a newer L1 choice or source made meanwhile wins.
     */
    public void selectL1(int index) {
        if (session == null || index < 0 || index >= l1.length) {
            return;
        }
        ImageSession s = session;
        Qcow2Image img = s.image();
        Geometry g = img.geometry();
        long request = ++l2Requests;
        selectedL1.set(index);
        selectedL2.set(-1);
        pendingL2 = -1;
        long raw = l1[index];
        decoded.set(new Decoded("L1[" + index + "] at " + Sizes.hex(l1Offset + 8L * index), raw, 0, false,
                EntryFields.l1(raw), List.of()));
        hex.show(l1Offset & ~g.clusterMask(), (l1Offset & g.clusterMask()) + 8L * index, 8);
        l2Offset = L1Entry.l2Offset(raw);
        l2Rows.clear();
        if (l2Offset == 0) {
            l2Loading.set(false);
            l2Title.set("L1[" + index + "] has no L2 table: its guest range reads from the backing file or zeros");
            return;
        }
        long offset = l2Offset;
        l2Loading.set(true);
        l2Title.set("reading the L2 table of L1[" + index + "] at " + Sizes.hex(offset) + "...");
        executor.executeInteractive("read L2 table", m -> l2Rows(img, index, offset), new TaskListener<List<L2Row>>() {
            @Override
            public void succeeded(List<L2Row> rows) {
                if (request == l2Requests && session == s) {
                    l2Loading.set(false);
                    l2Rows.setAll(rows);
                    long guest = (long) index * g.l2Entries() << g.clusterBits();
                    long end = Math.min(s.image().virtualSize(), guest + ((long) g.l2Entries() << g.clusterBits()));
                    l2Title.set("L2 table of L1[" + index + "] at " + Sizes.hex(offset) + ", guest " + Sizes.hex(guest)
                            + ".." + Sizes.hex(end) + " (" + Plural.of(g.l2Entries(), "entry") + " of "
                            + Plural.of(g.l2EntrySize(), "byte") + ")");
                    int j = pendingL2;
                    pendingL2 = -1;
                    selectL2(j);
                }
            }

            @Override
            public void failed(Throwable e) {
                if (request == l2Requests && session == s) {
                    l2Loading.set(false);
                    pendingL2 = -1;
                    l2Title.set("cannot read the L2 table at " + Sizes.hex(offset) + ": " + e.getMessage());
                }
            }
        });
    }

    /** Runs off the UI thread: the rows of the L2 table at {@code offset}, behind L1 entry {@code index}. */
    private static List<L2Row> l2Rows(Qcow2Image img, int index, long offset) throws IOException {
        Geometry g = img.geometry();
        L2Table t = img.l2Table(offset);
        int n = t.entries();
        List<L2Row> rows = new ArrayList<>(n);
        long base = (long) index * n;
        long guestClusters = g.clustersFor(img.virtualSize());
        for (int j = 0; j < n && base + j < guestClusters; j++) {
            rows.add(new L2Row(j, (base + j) << g.clusterBits(), t.word0(j), t.bitmap(j), g.extendedL2(),
                    t.clusterType(j)));
        }
        return rows;
    }

    /** Selects L2 entry {@code index} of the selected table; while that table loads, the choice waits for it. */
    public void selectL2(int index) {
        if (session == null || index < 0) {
            return;
        }
        if (l2Loading.get()) {
            pendingL2 = index;
            return;
        }
        if (index >= l2Rows.size()) {
            return;
        }
        Geometry g = session.image().geometry();
        L2Row r = l2Rows.get(index);
        selectedL2.set(index);
        decoded.set(new Decoded("L2[" + index + "] of L1[" + selectedL1.get() + "] at "
                + Sizes.hex(l2Offset + (long) g.l2EntrySize() * index), r.word0(), r.bitmap(), r.extended(),
                EntryFields.l2(r.word0(), r.extended(), g.clusterBits()),
                r.extended() ? EntryFields.bitmap(r.bitmap()) : List.of()));
        hex.show(l2Offset, (long) g.l2EntrySize() * index, g.l2EntrySize());
        long guest = (long) selectedL1.get() * g.l2Entries() + index;
        if (l1Source.get() == 0 && selection.guestClusterProperty().get() != guest) {
            selection.selectGuest(guest);
        }
    }

    public ObservableList<String> l1Sources() {
        return FXCollections.unmodifiableObservableList(l1Sources);
    }

    public ReadOnlyIntegerProperty l1SourceProperty() {
        return l1Source.getReadOnlyProperty();
    }

    public ObservableList<L1Row> l1Rows() {
        return FXCollections.unmodifiableObservableList(l1Rows);
    }

    public ObservableList<L2Row> l2Rows() {
        return FXCollections.unmodifiableObservableList(l2Rows);
    }

    public ReadOnlyIntegerProperty selectedL1Property() {
        return selectedL1.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty selectedL2Property() {
        return selectedL2.getReadOnlyProperty();
    }

    /** True while the selected L1 entry's L2 table is being read off the UI thread. */
    public ReadOnlyBooleanProperty l2LoadingProperty() {
        return l2Loading.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty l2TitleProperty() {
        return l2Title.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Decoded> decodedProperty() {
        return decoded.getReadOnlyProperty();
    }

    /** The repair preview this view draws (set once by the main view-model). */
    void setPreview(io.qcowscope.app.ui.viewmodel.repair.RepairPreview p) {
        preview = p;
    }

    /** The preview of the fix the repair workspace shows; the L2 table marks the entries it rewrites. */
    public ReadOnlyObjectProperty<io.qcowscope.app.ui.viewmodel.repair.FixPreview> previewProperty() {
        return preview.currentProperty();
    }

    /** What the last in-place Apply changed (set by the main view-model); the L2 table marks the entries it flipped. */
    void setApplied(AppliedChanges c) {
        applied.set(c == null ? AppliedChanges.NONE : c);
    }

    public ReadOnlyObjectProperty<AppliedChanges> appliedProperty() {
        return applied.getReadOnlyProperty();
    }

    /** The file offset of this entry of the L2 table shown, -1 when none is shown. */
    private long entryOffset(L2Row r) {
        return session == null || l2Offset == 0 ? -1
                : l2Offset + (long) session.image().geometry().l2EntrySize() * r.index();
    }

    /** Whether the last in-place Apply changed this entry of the L2 table shown. */
    public boolean changedByApply(L2Row r) {
        long at = entryOffset(r);
        return at >= 0 && applied.get().flipsAt(at) != null;
    }

    /**
     * The subclusters of this entry whose allocation or zero bit the last in-place Apply flipped, as a mask (bit i for
     * subcluster i); 0 when none did or the entry is a standard one.
     */
    public long flippedSubclusters(L2Row r) {
        long at = entryOffset(r);
        long[] f = at < 0 ? null : applied.get().flipsAt(at);
        return f == null ? 0 : (f[1] | (f[1] >>> 32)) & 0xFFFFFFFFL;
    }

    /** Whether the fix previewed rewrites this entry of the L2 table shown. */
    public boolean previewed(L2Row r) {
        return session != null && l2Offset != 0
                && preview.current().marksEntry(l2Offset + (long) session.image().geometry().l2EntrySize() * r.index());
    }
}

package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.repair.AppliedChanges;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.image.RefcountReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The refcount table and one refcount block: each cluster's stored refcount beside the references found. */
public final class RefcountsViewModel {
    public record ReftableRow(int index, long raw, long blockOffset, long firstCluster, long lastCluster) {
    }

    /**
     * {@code found} is the engine layout's claim count, -1 until the layout scan is done; a difference is what the check
     * reports as a leak or a refcount error (spec 5.3).
     */
    public record RefcountRow(long cluster, long stored, long found, HostClusterRole role) {
        public boolean mismatch() {
            return found >= 0 && stored != found;
        }

        public String roleLabel() {
            return role == null ? "" : RoleLabels.of(role);
        }
    }

    private final SelectionModel selection;
    private final ObservableList<ReftableRow> reftable = FXCollections.observableArrayList();
    private final ObservableList<RefcountRow> block = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper selectedReftable = new ReadOnlyIntegerWrapper(this, "selectedReftable", -1);
    private final ReadOnlyStringWrapper blockTitle = new ReadOnlyStringWrapper(this, "blockTitle", "");
    private final ReadOnlyBooleanWrapper blockLoading = new ReadOnlyBooleanWrapper(this, "blockLoading", false);
    private ImageSession session;
    private TaskExecutor executor = new SyncTaskExecutor();
    /** Bumped by every block asked for; a block read for an older request is dropped. */
    private long blockRequests;
    private final ReadOnlyObjectWrapper<AppliedChanges> applied = new ReadOnlyObjectWrapper<>(this, "applied",
            AppliedChanges.NONE);
    private io.qcowscope.app.ui.viewmodel.repair.RepairPreview preview =
            new io.qcowscope.app.ui.viewmodel.repair.RepairPreview();

    public RefcountsViewModel(SelectionModel selection) {
        this.selection = selection;
        selection.hostClusterProperty().addListener((o, a, b) -> {
            long c = b.longValue();
            if (session != null && c >= 0) {
                int r = (int) (c >>> session.image().geometry().refblockBits());
                if (r != selectedReftable.get()) {
                    selectReftable(r);
                }
            }
        });
    }

    /** Where refcount blocks are read and matched with the references found (off the UI thread in the window). */
    void setExecutor(TaskExecutor executor) {
        this.executor = executor;
    }

    void setSession(ImageSession s) {
        session = s;
        RefcountReader rc = s.image().refcounts();
        Geometry g = s.image().geometry();
        List<ReftableRow> rows = new ArrayList<>();
        long per = g.refblockEntries();
        for (int i = 0; i < rc.reftableEntries(); i++) {
            long raw = rc.reftableEntry(i);
            rows.add(new ReftableRow(i, raw, ReftableEntry.blockOffset(raw), i * per, (i + 1) * per - 1));
        }
        reftable.setAll(rows);
        block.clear();
        selectedReftable.set(-1);
        blockTitle.set("");
        if (!rows.isEmpty()) {
            selectReftable(0);
        }
    }

    /** Called when the layout scan finished: the found references are known now. */
    void layoutScanned() {
        int r = selectedReftable.get();
        selectedReftable.set(-1);
        selectReftable(r);
    }

    public void selectReftable(int r) {
        if (session == null || r < 0 || r >= reftable.size()) {
            return;
        }
        selectedReftable.set(r);
        ReftableRow row = reftable.get(r);
        HostLayoutSource layout = session.layout();
        Geometry g = session.image().geometry();
        if (row.blockOffset() == 0) {
            blockRequests++;
            blockLoading.set(false);
            block.clear();
            blockTitle.set("reftable[" + r + "] has no refcount block: clusters " + row.firstCluster() + ".."
                    + row.lastCluster() + " have refcount 0");
            return;
        }
        // A block covers up to 2^(cluster_bits + 3 - refcount_order) clusters (32768 at 64 KiB, 16 bits), each matched
        // with the references the layout found: read and built through the executor, never on the UI thread. On the
        // background lane: during a scan it waits for the scan, after which the block is read again with its references.
        ImageSession s = session;
        long request = ++blockRequests;
        blockLoading.set(true);
        block.clear();
        blockTitle.set("reading the refcount block of reftable[" + r + "] at " + Sizes.hex(row.blockOffset()) + "...");
        executor.execute("read refcount block", m -> blockRows(s, row, layout, g),
                new TaskListener<List<RefcountRow>>() {
                    @Override
                    public void succeeded(List<RefcountRow> rows) {
                        if (request == blockRequests && session == s) {
                            blockLoading.set(false);
                            block.setAll(rows);
                            long last = rows.isEmpty() ? row.firstCluster() - 1 : rows.get(rows.size() - 1).cluster();
                            blockTitle.set("refcount block of reftable[" + r + "] at " + Sizes.hex(row.blockOffset())
                                    + ": clusters " + row.firstCluster() + ".." + last
                                    + (layout == null ? " (references: scanning...)" : ""));
                        }
                    }

                    @Override
                    public void failed(Throwable e) {
                        if (request == blockRequests && session == s) {
                            blockLoading.set(false);
                            block.clear();
                            blockTitle.set("cannot read the refcount block: " + e.getMessage());
                        }
                    }
                });
    }

    /** Off the UI thread: the stored refcount and the references found of every cluster the block covers. */
    private static List<RefcountRow> blockRows(ImageSession s, ReftableRow row, HostLayoutSource layout, Geometry g)
            throws IOException {
        byte[] b = s.image().refcounts().block(row.blockOffset());
        long end = layout == null ? row.lastCluster() + 1 : Math.min(row.lastCluster() + 1, layout.clusterCount());
        List<RefcountRow> rows = new ArrayList<>();
        for (long c = row.firstCluster(); c < end; c++) {
            long stored = RefcountBlockCodec.get(b, c - row.firstCluster(), g.refcountOrder());
            rows.add(new RefcountRow(c, stored, layout == null ? -1 : layout.referencesFound(c),
                    layout == null ? null : layout.role(c)));
        }
        return rows;
    }

    /** True while the selected refcount block is being read. */
    public ReadOnlyBooleanProperty blockLoadingProperty() {
        return blockLoading.getReadOnlyProperty();
    }

    public void selectCluster(long c) {
        selection.selectHost(c);
    }

    public ObservableList<ReftableRow> reftable() {
        return FXCollections.unmodifiableObservableList(reftable);
    }

    public ObservableList<RefcountRow> block() {
        return FXCollections.unmodifiableObservableList(block);
    }

    public ReadOnlyIntegerProperty selectedReftableProperty() {
        return selectedReftable.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty blockTitleProperty() {
        return blockTitle.getReadOnlyProperty();
    }

    /** The repair preview this view draws (set once by the main view-model). */
    void setPreview(io.qcowscope.app.ui.viewmodel.repair.RepairPreview p) {
        preview = p;
    }

    /** The preview of the fix the repair workspace shows; the refcount block marks the refcounts it changes. */
    public ReadOnlyObjectProperty<io.qcowscope.app.ui.viewmodel.repair.FixPreview> previewProperty() {
        return preview.currentProperty();
    }

    /** What the last in-place Apply changed (set by the main view-model); the block marks the refcounts it raised. */
    void setApplied(AppliedChanges c) {
        applied.set(c == null ? AppliedChanges.NONE : c);
    }

    public ReadOnlyObjectProperty<AppliedChanges> appliedProperty() {
        return applied.getReadOnlyProperty();
    }

    /** Whether the last in-place Apply raised this cluster's refcount. */
    public boolean raisedByApply(RefcountRow r) {
        return applied.get().refcountRaised(r.cluster());
    }

    /** The refcount the previewed fix gives this cluster ("" when it does not change it, "?" when the apply computes it). */
    public String previewedRefcount(RefcountRow r) {
        io.qcowscope.app.ui.viewmodel.repair.FixPreview p = preview.current();
        if (!p.marksRefcount(r.cluster())) {
            return "";
        }
        long v = p.refcountAfter(r.cluster());
        return v < 0 ? "?" : String.valueOf(v);
    }
}

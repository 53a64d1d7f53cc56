package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.BitmapTableEntry;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.Qcow2Image;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The snapshot table (any snapshot's L1 can become the source of the L1/L2 views) and the persistent dirty bitmaps beside
 * it: the bitmap directory, and the table of the bitmap selected (spec 2.3), read through the task executor.
 */
public final class SnapshotsViewModel {
    /** Bitmap table entries shown at most (a 1 TiB disk at 64 KiB granularity needs 4 of 64 KiB clusters). */
    public static final int MAX_TABLE_ROWS = 65536;

    private final TablesViewModel tables;
    private final ObservableList<SnapshotEntry> snapshots = FXCollections.observableArrayList();
    private final ObservableList<BitmapDirectoryEntry> bitmaps = FXCollections.observableArrayList();
    private final ObservableList<BitmapTableRow> bitmapTable = FXCollections.observableArrayList();
    /** Read-only views made once: one made per call drops its (weak) listeners when it is collected. */
    private final ObservableList<BitmapDirectoryEntry> bitmapsRo = FXCollections.unmodifiableObservableList(bitmaps);
    private final ObservableList<BitmapTableRow> bitmapTableRo = FXCollections.unmodifiableObservableList(bitmapTable);
    private final IntegerProperty selected = new SimpleIntegerProperty(this, "selected", -1);
    private final IntegerProperty selectedBitmap = new SimpleIntegerProperty(this, "selectedBitmap", -1);
    private final IntegerProperty selectedBitmapEntry = new SimpleIntegerProperty(this, "selectedBitmapEntry", -1);
    private final ReadOnlyStringWrapper bitmapStatus = new ReadOnlyStringWrapper(this, "bitmapStatus", "");
    /** Synchronous until the main view-model sets the window's executor. */
    private TaskExecutor executor = new SyncTaskExecutor();
    private ImageSession session;

    public SnapshotsViewModel(TablesViewModel tables) {
        this.tables = tables;
        selectedBitmap.addListener((o, a, b) -> loadTable(b.intValue()));
    }

    void setExecutor(TaskExecutor executor) {
        this.executor = executor;
    }

    /** The row the user selected (the Explain panel explains it); -1 for none. */
    public IntegerProperty selectedProperty() {
        return selected;
    }

    void setSession(ImageSession s) {
        session = s;
        selected.set(-1);
        selectedBitmap.set(-1);
        snapshots.setAll(s.image().snapshots());
        bitmaps.clear();
        bitmapTable.clear();
        Qcow2Image img = s.image();
        if (img.bitmapsExtension() == null) {
            bitmapStatus.set("This image has no persistent bitmaps.");
            return;
        }
        bitmapStatus.set("Reading the bitmap directory...");
        executor.executeInteractive("read bitmap directory", m -> img.bitmaps(),
                new TaskListener<List<BitmapDirectoryEntry>>() {
                    @Override
                    public void succeeded(List<BitmapDirectoryEntry> list) {
                        if (session != s) {
                            return;
                        }
                        bitmaps.setAll(list);
                        var ext = img.bitmapsExtension();
                        bitmapStatus.set(list.isEmpty() ? "The bitmap directory is empty."
                                : io.qcowscope.engine.format.Plural.of(list.size(), "persistent bitmap")
                                + " in the directory at " + Sizes.hex(ext.directoryOffset()) + " ("
                                + ext.directorySize() + " bytes). Select one to see its table.");
                    }

                    @Override
                    public void failed(Throwable e) {
                        if (session == s) {
                            bitmapStatus.set("The bitmap directory cannot be read: " + e.getMessage());
                        }
                    }
                });
    }

    private void loadTable(int index) {
        bitmapTable.clear();
        selectedBitmapEntry.set(-1);
        ImageSession s = session;
        if (s == null || index < 0 || index >= bitmaps.size()) {
            return;
        }
        BitmapDirectoryEntry b = bitmaps.get(index);
        long clusterBytes = s.image().geometry().clusterSize();
        long perEntry = clusterBytes * 8 * b.granularity();
        executor.executeInteractive("read bitmap table", m -> {
            List<BitmapTableEntry> entries = s.image().bitmapTable(b, MAX_TABLE_ROWS);
            List<BitmapTableRow> rows = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                rows.add(new BitmapTableRow(i, entries.get(i), i * perEntry, perEntry));
            }
            return rows;
        }, new TaskListener<List<BitmapTableRow>>() {
            @Override
            public void succeeded(List<BitmapTableRow> rows) {
                if (session == s && selectedBitmap.get() == index) {
                    bitmapTable.setAll(rows);
                }
            }

            @Override
            public void failed(Throwable e) {
                if (session == s) {
                    bitmapStatus.set("The table of bitmap '" + b.name() + "' cannot be read: " + e.getMessage());
                }
            }
        });
    }

    public ObservableList<SnapshotEntry> snapshots() {
        return FXCollections.unmodifiableObservableList(snapshots);
    }

    /** The bitmap directory's entries, in directory order. */
    public ObservableList<BitmapDirectoryEntry> bitmaps() {
        return bitmapsRo;
    }

    /** The selected bitmap's table (its first {@link #MAX_TABLE_ROWS} entries); empty while none is selected. */
    public ObservableList<BitmapTableRow> bitmapTable() {
        return bitmapTableRo;
    }

    /** The bitmap the user selected (the Explain panel explains it); -1 for none. */
    public IntegerProperty selectedBitmapProperty() {
        return selectedBitmap;
    }

    /** The entry of the selected bitmap's table the user selected; -1 for none. */
    public IntegerProperty selectedBitmapEntryProperty() {
        return selectedBitmapEntry;
    }

    /** What the bitmap section says: none, how many, or why they cannot be read. */
    public ReadOnlyStringProperty bitmapStatusProperty() {
        return bitmapStatus.getReadOnlyProperty();
    }

    /** Shows the L1 of the snapshot at {@code row} in the table views. */
    public void useAsL1Source(int row) {
        tables.selectSource(row + 1);
    }
}

package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.format.SnapshotEntry;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The snapshot table; any snapshot's L1 can become the source of the L1/L2 views. */
public final class SnapshotsViewModel {
    private final TablesViewModel tables;
    private final ObservableList<SnapshotEntry> snapshots = FXCollections.observableArrayList();

    private final javafx.beans.property.IntegerProperty selected =
            new javafx.beans.property.SimpleIntegerProperty(this, "selected", -1);

    /** The row the user selected (the Explain panel explains it); -1 for none. */
    public javafx.beans.property.IntegerProperty selectedProperty() {
        return selected;
    }

    public SnapshotsViewModel(TablesViewModel tables) {
        this.tables = tables;
    }

    void setSession(ImageSession s) {
        selected.set(-1);
        snapshots.setAll(s.image().snapshots());
    }

    public ObservableList<SnapshotEntry> snapshots() {
        return FXCollections.unmodifiableObservableList(snapshots);
    }

    /** Shows the L1 of the snapshot at {@code row} in the table views. */
    public void useAsL1Source(int row) {
        tables.selectSource(row + 1);
    }
}

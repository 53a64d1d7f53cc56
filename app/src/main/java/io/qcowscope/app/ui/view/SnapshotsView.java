package io.qcowscope.app.ui.view;

import io.qcowscope.engine.format.Plural;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.SnapshotsViewModel;
import io.qcowscope.engine.format.SnapshotEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The snapshot table; a snapshot's L1 can be chosen as the source of the table views. */
public final class SnapshotsView extends BorderPane {
    private final TableView<SnapshotEntry> table;
    private final HBox bar;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    public SnapshotsView(SnapshotsViewModel vm, Runnable showTables) {
        TableView<SnapshotEntry> t = Columns.table(vm.snapshots());
        table = t;
        t.setId("snapshots");
        t.setPlaceholder(new Label("This image has no internal snapshots."));
        t.getColumns().add(Columns.text("ID", SnapshotEntry::id, 50));
        t.getColumns().add(Columns.text("Name", SnapshotEntry::name, 160));
        t.getColumns().add(Columns.text("Date (UTC)", s -> DATE.format(Instant.ofEpochSecond(s.dateSec())), 150));
        t.getColumns().add(Columns.text("VM clock", s -> String.format("%.3f s", s.vmClockNsec() / 1e9), 90));
        t.getColumns().add(Columns.text("VM state", s -> Sizes.bytes(s.vmStateSize()), 90));
        t.getColumns().add(Columns.text("Disk size", s -> s.diskSize() < 0 ? "-" : Sizes.bytes(s.diskSize()), 90));
        t.getColumns().add(Columns.text("L1 table", s -> Sizes.hex(s.l1TableOffset()) + ", " + Plural.of(s.l1Size(), "entry"),
                170));
        t.getColumns().add(Columns.text("Entry at", s -> Sizes.hex(s.offset()) + " (" + s.length() + " B)", 130));
        t.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> vm.selectedProperty().set(b.intValue()));
        Button use = new Button("Show this snapshot's L1 in the tables", new FontIcon(Feather.LAYERS));
        use.setId("useSnapshotL1");
        use.disableProperty().bind(t.getSelectionModel().selectedItemProperty().isNull());
        use.setOnAction(e -> {
            vm.useAsL1Source(t.getSelectionModel().getSelectedIndex());
            showTables.run();
        });
        bar = new HBox(8, use);
        bar.getStyleClass().add("button-bar-below");
        setCenter(t);
        setBottom(bar);
        getStyleClass().add("view-pane");
    }

    /** The snapshot selected in the table, null when none. */
    public javafx.beans.value.ObservableValue<SnapshotEntry> selectedSnapshot() {
        return table.getSelectionModel().selectedItemProperty();
    }

    /** More buttons in the bar below the table (the snapshot operations of the edit mode). */
    public void addActions(javafx.scene.Node... nodes) {
        bar.getChildren().addAll(nodes);
    }
}

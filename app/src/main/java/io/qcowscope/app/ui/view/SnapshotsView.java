package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.BitmapTableRow;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.SnapshotsViewModel;
import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.format.SnapshotEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The snapshot table (a snapshot's L1 can be chosen as the source of the table views) above the persistent dirty bitmaps:
 * the bitmap directory and the selected bitmap's table, each selectable for the Explain panel.
 */
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
        BorderPane top = new BorderPane(t);
        top.setBottom(bar);
        SplitPane split = new SplitPane(top, bitmaps(vm));
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        split.setId("snapshotsSplit");
        setCenter(split);
        getStyleClass().add("view-pane");
    }

    /** The persistent dirty bitmaps: the directory on the left, the selected bitmap's table on the right. */
    private static VBox bitmaps(SnapshotsViewModel vm) {
        TableView<BitmapDirectoryEntry> dir = Columns.table(vm.bitmaps());
        dir.setId("bitmaps");
        dir.setPlaceholder(new Label("No persistent bitmaps."));
        dir.getColumns().add(Columns.text("Name", BitmapDirectoryEntry::name, 120));
        dir.getColumns().add(Columns.text("Granularity", b -> Sizes.bytes(b.granularity()), 80));
        dir.getColumns().add(Columns.text("Flags", SnapshotsView::flags, 80));
        dir.getColumns().add(Columns.text("Table", b -> Sizes.hex(b.tableOffset()) + ", "
                + Plural.of(b.tableSize(), "entry", "entries"), 140));
        dir.getColumns().add(Columns.optional(Columns.text("Entry at", b -> Sizes.hex(b.offset()), 80), 0));
        dir.getSelectionModel().selectedIndexProperty().addListener((o, a, b) ->
                vm.selectedBitmapProperty().set(b.intValue()));
        vm.selectedBitmapProperty().addListener((o, a, b) -> {
            if (dir.getSelectionModel().getSelectedIndex() != b.intValue()) {
                dir.getSelectionModel().clearAndSelect(b.intValue());
            }
        });

        TableView<BitmapTableRow> table = Columns.table(vm.bitmapTable());
        table.setId("bitmapTable");
        table.setPlaceholder(new Label("Select a bitmap to see its table."));
        table.getColumns().add(Columns.text("#", r -> String.valueOf(r.index()), 40));
        table.getColumns().add(Columns.text("Guest range", r -> Sizes.hex(r.guestStart()) + " +"
                + Sizes.bytes(r.guestBytes()), 130));
        table.getColumns().add(Columns.optional(Columns.mono(Columns.text("Raw", r -> String.format("%016x",
                r.entry().raw()), 150)), 0));
        table.getColumns().add(Columns.text("Bits", BitmapTableRow::meaning, 200));
        table.getSelectionModel().selectedIndexProperty().addListener((o, a, b) ->
                vm.selectedBitmapEntryProperty().set(b.intValue()));

        Label title = new Label("Persistent dirty bitmaps");
        title.getStyleClass().add("title-4");
        title.setMinWidth(Region.USE_PREF_SIZE);
        Label status = new Label();
        status.setId("bitmapStatus");
        status.textProperty().bind(vm.bitmapStatusProperty());
        HBox head = new HBox(8, title, status);
        head.getStyleClass().add("table-title-bar");
        SplitPane tables = new SplitPane(dir, table);
        tables.setDividerPositions(0.5);
        VBox box = new VBox(4, head, tables);
        box.getStyleClass().add("bitmap-pane");
        VBox.setVgrow(tables, Priority.ALWAYS);
        return box;
    }

    private static String flags(BitmapDirectoryEntry b) {
        String f = (b.inUse() ? "in_use " : "") + (b.auto() ? "auto" : "");
        return f.isBlank() ? "-" : f.trim();
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

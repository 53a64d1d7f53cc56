package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.TablesViewModel;
import io.qcowscope.app.ui.viewmodel.TablesViewModel.L1Row;
import io.qcowscope.app.ui.viewmodel.TablesViewModel.L2Row;
import java.util.function.Supplier;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Orientation;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The L1 table (active or a snapshot's), the L2 table of the selected L1 entry, and the entry decoder. */
public final class TablesView extends BorderPane {
    private final TablesViewModel vm;
    private final TableView<L1Row> l1 ;
    private final TableView<L2Row> l2;
    private boolean syncing;
    /** The decoder, and beside it the hex view when the window shows this tab (both concern the selected entry). */
    private final SplitPane bottom = new SplitPane();

    /** {@code extendedL2}: whether the image has extended L2 entries; without, the subcluster column is hidden. */
    public TablesView(TablesViewModel vm, Supplier<int[]> subPalette, ObservableValue<Boolean> dark,
            ObservableValue<Boolean> extendedL2) {
        this.vm = vm;
        l1 = Columns.table(vm.l1Rows());
        l1.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        l1.setId("l1Table");
        l2 = Columns.table(vm.l2Rows());
        l2.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        l2.setId("l2Table");
        createView(subPalette, dark, extendedL2);
        // The subcluster strips are drawn in the theme's palette: draw them again when the theme changes.
        dark.addListener((o, a, b) -> l2.refresh());
        initListeners();
    }

    private void createView(Supplier<int[]> subPalette, ObservableValue<Boolean> dark,
            ObservableValue<Boolean> extendedL2) {
        l1.getColumns().add(Columns.text("#", r -> String.valueOf(r.index()), 40));
        // The guest range follows from the index (and the L2 title names it): a narrow window drops it too.
        l1.getColumns().add(Columns.optional(Columns.text("Guest range", r -> Sizes.hex(r.guestStart()) + ".."
                + Sizes.hex(r.guestEnd()), 150), 1));
        // The raw words are in the entry decoder too: a narrow window drops them from the tables.
        l1.getColumns().add(Columns.optional(Columns.mono(Columns.text("Raw", r -> String.format("%016x", r.raw()),
                125)), 0));
        l1.getColumns().add(Columns.text("L2 offset", r -> r.l2Offset() == 0 ? "-" : Sizes.hex(r.l2Offset()), 90));
        l1.getColumns().add(Columns.text("Flags", r -> r.copied() ? "COPIED" : "", 60));
        ComboBox<String> source = new ComboBox<>(vm.l1Sources());
        source.setId("l1Source");
        source.setTooltip(new javafx.scene.control.Tooltip("Whose L1 table: the active one or a snapshot's"));
        source.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        source.getSelectionModel().select(0);
        vm.l1SourceProperty().addListener((o, a, b) -> source.getSelectionModel().select(b.intValue()));
        source.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (b.intValue() >= 0 && b.intValue() != vm.l1SourceProperty().get()) {
                vm.selectSource(b.intValue());
            }
        });
        vm.l1Sources().addListener((javafx.collections.ListChangeListener<String>) c ->
                source.getSelectionModel().select(vm.l1SourceProperty().get()));
        Label l1Title = new Label("L1 table");
        l1Title.getStyleClass().add("title-4");
        l1Title.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        // The source goes under the title when the pane is narrow: the bar never makes the L1 pane wider than its table.
        javafx.scene.layout.FlowPane l1Bar = new javafx.scene.layout.FlowPane(8, 4, l1Title, source);
        l1Bar.getStyleClass().add("table-title-bar");
        VBox left = new VBox(4, l1Bar, l1);
        VBox.setVgrow(l1, Priority.ALWAYS);

        l2.getColumns().add(Columns.text("#", r -> String.valueOf(r.index()), 45));
        // The guest offset follows from the index and the table's guest range (its title): a narrow pane drops it after Raw.
        l2.getColumns().add(Columns.optional(Columns.text("Guest offset", r -> Sizes.hex(r.guestStart()), 85), 1));
        TableColumn<L2Row, L2Row> strip = Columns.object("Subclusters 0..31", r -> r, 32 * SubclusterStripCell.CELL + 16);
        strip.setCellFactory(c -> new SubclusterStripCell(subPalette, vm::flippedSubclusters,
                () -> Boolean.TRUE.equals(dark.getValue())));
        strip.setId("stripColumn");
        strip.visibleProperty().bind(extendedL2);
        l2.getColumns().add(strip);
        l2.getColumns().add(Columns.optional(Columns.mono(Columns.text("Raw", L2Row::rawHex, 240)), 0));
        l2.getColumns().add(Columns.text("Host offset", r -> r.hostOffset() <= 0 ? "-" : Sizes.hex(r.hostOffset()), 80));
        l2.getColumns().add(Columns.text("Flags", L2Row::flags, 70));
        l2.getColumns().add(Columns.text("Type", r -> r.type().name().toLowerCase().replace('_', ' '), 90));
        // a previewed repair marks the entries it rewrites (the repair workspace's fix looked at)
        // and the last Apply marks the entries it changed (their flipped subclusters outlined in the strip)
        javafx.css.PseudoClass previewed = javafx.css.PseudoClass.getPseudoClass("previewed");
        javafx.css.PseudoClass applied = javafx.css.PseudoClass.getPseudoClass("applied");
        l2.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(L2Row r, boolean empty) {
                super.updateItem(r, empty);
                pseudoClassStateChanged(previewed, !empty && r != null && vm.previewed(r));
                pseudoClassStateChanged(applied, !empty && r != null && vm.changedByApply(r));
            }
        });
        vm.previewProperty().addListener((o, a, b) -> l2.refresh());
        vm.appliedProperty().addListener((o, a, b) -> l2.refresh());
        Label l2Title = new Label();
        l2Title.getStyleClass().add("title-4");
        l2Title.textProperty().bind(vm.l2TitleProperty());
        l2Title.setWrapText(true);
        l2Title.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox centre = new VBox(4, l2Title, l2);
        VBox.setVgrow(l2, Priority.ALWAYS);

        SplitPane tables = new SplitPane(left, centre);
        Columns.sideBySide(tables, l1, l2);
        EntryDecoderView decoder = new EntryDecoderView(vm.decodedProperty(), dark);
        decoder.setId("decoder");
        bottom.getItems().add(decoder);
        SplitPane all = new SplitPane(tables, bottom);
        all.setOrientation(Orientation.VERTICAL);
        all.setDividerPositions(0.5);
        setCenter(all);
        getStyleClass().add("view-pane");
    }

    /** Where the window puts the hex view on this tab: beside the entry decoder, under the tables. */
    public SplitPane hexHolder() {
        return bottom;
    }

    private void initListeners() {
        l1.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (!syncing && b.intValue() >= 0) {
                vm.selectL1(b.intValue());
            }
        });
        l2.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (!syncing && b.intValue() >= 0) {
                vm.selectL2(b.intValue());
            }
        });
        vm.selectedL1Property().addListener((o, a, b) -> sync(l1, b.intValue()));
        vm.selectedL2Property().addListener((o, a, b) -> sync(l2, b.intValue()));
    }

    private static <T> void syncSelect(TableView<T> t, int i) {
        if (i < 0) {
            t.getSelectionModel().clearSelection();
        } else if (t.getSelectionModel().getSelectedIndex() != i) {
            t.getSelectionModel().clearAndSelect(i);
            ScrollWhenSkinned.run(t, () -> t.scrollTo(Math.max(0, i - 3)));
        }
    }

    private <T> void sync(TableView<T> t, int i) {
        syncing = true;
        try {
            syncSelect(t, i);
        } finally {
            syncing = false;
        }
    }
}

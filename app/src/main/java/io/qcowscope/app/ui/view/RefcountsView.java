package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.RefcountsViewModel;
import io.qcowscope.app.ui.viewmodel.RefcountsViewModel.RefcountRow;
import io.qcowscope.app.ui.viewmodel.RefcountsViewModel.ReftableRow;
import io.qcowscope.app.ui.viewmodel.Sizes;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The refcount table and the selected refcount block, stored refcounts beside references found; mismatches marked. */
public final class RefcountsView extends BorderPane {
    private static final javafx.css.PseudoClass MISMATCH = javafx.css.PseudoClass.getPseudoClass("mismatch");
    /** A refcount the repair previewed in the workspace changes. */
    private static final javafx.css.PseudoClass PREVIEWED = javafx.css.PseudoClass.getPseudoClass("previewed");
    /** A refcount the last Apply raised. */
    private static final javafx.css.PseudoClass RAISED = javafx.css.PseudoClass.getPseudoClass("raised");

    public RefcountsView(RefcountsViewModel vm) {
        TableView<ReftableRow> rt = Columns.table(vm.reftable());
        rt.setId("reftable");
        rt.getColumns().add(Columns.text("#", r -> String.valueOf(r.index()), 50));
        // The raw entry is in the hex view of the refcount table too: a narrow window drops it.
        rt.getColumns().add(Columns.optional(Columns.mono(Columns.text("Raw", r -> String.format("%016x", r.raw()),
                125)), 0));
        rt.getColumns().add(Columns.text("Block offset", r -> r.blockOffset() == 0 ? "-" : Sizes.hex(r.blockOffset()),
                100));
        // The block title names its clusters too: dropped in a narrow window after the raw entry.
        rt.getColumns().add(Columns.optional(Columns.text("Host clusters", r -> r.firstCluster() + ".."
                + r.lastCluster(), 120), 1));
        TableView<RefcountRow> block = Columns.table(vm.block());
        block.setId("refblock");
        block.getColumns().add(Columns.text("Host cluster", r -> String.valueOf(r.cluster()), 100));
        block.getColumns().add(Columns.text("Refcount", r -> String.valueOf(r.stored()), 80));
        block.getColumns().add(Columns.text("Refs found", r -> r.found() < 0 ? "?" : String.valueOf(r.found()),
                120));
        // Shown while the repair workspace previews a fix that changes refcounts: empty otherwise.
        javafx.scene.control.TableColumn<RefcountRow, String> after = Columns.text("After repair", vm::previewedRefcount,
                100);
        after.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> vm.previewProperty().get().refcountClusters().length > 0, vm.previewProperty()));
        block.getColumns().add(after);
        block.getColumns().add(Columns.text("Role", RefcountRow::roleLabel, 140));
        block.getColumns().add(Columns.text("", r -> r.mismatch() ? "MISMATCH" : "", 90));
        block.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(RefcountRow r, boolean empty) {
                super.updateItem(r, empty);
                pseudoClassStateChanged(MISMATCH, !empty && r != null && r.mismatch());
                pseudoClassStateChanged(PREVIEWED, !empty && r != null && !vm.previewedRefcount(r).isEmpty());
                pseudoClassStateChanged(RAISED, !empty && r != null && vm.raisedByApply(r));
            }
        });
        vm.previewProperty().addListener((o, a, b) -> block.refresh());
        vm.appliedProperty().addListener((o, a, b) -> block.refresh());
        rt.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (b.intValue() >= 0) {
                vm.selectReftable(b.intValue());
            }
        });
        block.setOnMouseClicked(e -> {
            RefcountRow r = block.getSelectionModel().getSelectedItem();
            if (r != null) {
                vm.selectCluster(r.cluster());
            }
        });
        Label t1 = new Label("Refcount table");
        t1.getStyleClass().add("title-4");
        Label t2 = new Label();
        t2.getStyleClass().add("title-4");
        t2.setWrapText(true);
        t2.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        t2.textProperty().bind(vm.blockTitleProperty());
        VBox left = new VBox(4, t1, rt);
        VBox right = new VBox(4, t2, block);
        VBox.setVgrow(rt, Priority.ALWAYS);
        VBox.setVgrow(block, Priority.ALWAYS);
        SplitPane sp = new SplitPane(left, right);
        Columns.sideBySide(sp, rt, block);
        setCenter(sp);
        getStyleClass().add("view-pane");
    }
}

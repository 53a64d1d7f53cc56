package io.qcowscope.app.ui.view.repair;

import io.qcowscope.app.ui.view.Columns;
import io.qcowscope.app.ui.viewmodel.SelectionPath;
import io.qcowscope.app.ui.viewmodel.repair.FixRow;
import io.qcowscope.app.ui.viewmodel.repair.RepairViewModel;
import java.util.function.Consumer;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.SplitMenuButton;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The repair workspace under the findings: Plan repair (in the background, with Cancel), every fix with a checkbox (a
 * radio button where two fixes mend one damage), the fix looked at in detail, Queue repair or Repair like qemu-img, and
 * the result card after an apply.
 */
public final class RepairView extends BorderPane {
    private static final javafx.css.PseudoClass DEPENDENT = javafx.css.PseudoClass.getPseudoClass("dependent");
    private static final javafx.css.PseudoClass UNCHOSEN = javafx.css.PseudoClass.getPseudoClass("unchosen");
    private final RepairViewModel vm;
    private final TableView<FixRow> table;
    private final FixDetailView detail;
    private final ResultCard card;
    /** Asks for the backing file to point a broken link at; a file chooser, replaceable for tests. */
    private java.util.function.Supplier<java.nio.file.Path> backingChooser = this::chooseBacking;

    public RepairView(RepairViewModel vm, Consumer<SelectionPath.Place> navigate) {
        this.vm = vm;
        this.table = Columns.table(vm.rows());
        this.detail = new FixDetailView(navigate);
        this.card = new ResultCard(vm::dismissResult);
        getStyleClass().add("repair-workspace");
        setId("repairWorkspace");
        createView();
        initListeners();
    }

    private void createView() {
        Button plan = new Button("Plan repair", new FontIcon(Feather.TOOL));
        plan.setId("planRepair");
        plan.setOnAction(e -> vm.plan());
        plan.disableProperty().bind(vm.planningProperty());
        Button cancel = new Button("Cancel", new FontIcon(Feather.X_CIRCLE));
        cancel.setId("cancelPlan");
        cancel.setOnAction(e -> vm.cancel());
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(vm.progressProperty());
        for (javafx.scene.Node n : new javafx.scene.Node[]{cancel, progress}) {
            n.visibleProperty().bind(vm.planningProperty());
            n.managedProperty().bind(vm.planningProperty());
        }
        Button queue = new Button("Queue repair", new FontIcon(Feather.PLUS_SQUARE));
        queue.setId("queueRepair");
        queue.setTooltip(new Tooltip("Add the chosen fixes to the pending operations; nothing is written until Apply"));
        queue.setOnAction(e -> vm.queueRepair());
        queue.disableProperty().bind(vm.plannedProperty().not());
        SplitMenuButton qemu = new SplitMenuButton();
        qemu.setText("Repair like qemu-img");
        qemu.setId("qemuRepair");
        qemu.setGraphic(new FontIcon(Feather.TERMINAL));
        qemu.setTooltip(new Tooltip("Queue exactly what qemu-img check -r all repairs, and nothing else"));
        qemu.setOnAction(e -> vm.queueQemuRepair(true));
        MenuItem all = new MenuItem("check -r all");
        all.setOnAction(e -> vm.queueQemuRepair(true));
        MenuItem leaks = new MenuItem("check -r leaks");
        leaks.setOnAction(e -> vm.queueQemuRepair(false));
        qemu.getItems().addAll(all, leaks);
        Label choice = new Label();
        choice.setId("repairChoice");
        choice.textProperty().bind(vm.choiceProperty());
        choice.getStyleClass().add("text-muted");
        FlowPane bar = new FlowPane(8, 4, plan, cancel, progress, queue, qemu, choice);
        bar.getStyleClass().add("repair-bar");
        Label status = new Label();
        status.setId("repairStatus");
        status.textProperty().bind(vm.statusProperty());
        status.setWrapText(true);
        status.setMinHeight(Label.USE_PREF_SIZE);
        VBox top = new VBox(4, bar, status, card);
        top.getStyleClass().add("repair-top");
        setTop(top);

        table.setId("fixes");
        Label empty = new Label("Plan repair computes the fixes from the check; nothing is written.");
        empty.setWrapText(true); // beside the queue panel at 1024x700 the table is narrower than the sentence
        table.setPlaceholder(empty);
        table.getColumns().add(chosenColumn());
        table.getColumns().add(riskColumn());
        table.getColumns().add(Columns.text("Kind", FixRow::kindLabel, 110));
        // The path wraps at its arrows; the byte and the guest range are in the detail of the fix too, so a narrow
        // workspace drops them rather than scroll sideways.
        table.getColumns().add(Columns.mono(Columns.wrapping("Where", r -> r.fix().path(), 200)));
        table.getColumns().add(Columns.optional(Columns.text("At byte", FixRow::offsetText, 80), 0));
        table.getColumns().add(Columns.optional(Columns.text("Guest range", FixRow::guestRange, 120), 1));
        // The note goes last of all when the table is narrow (a fix shown beside it at 1024x700): the radio buttons
        // say "instead of", and the refcount rows say what is recomputed.
        table.getColumns().add(Columns.optional(Columns.wrapping("Note", r -> r.noteProperty().get(), 180), 2));
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(FixRow r, boolean empty) {
                super.updateItem(r, empty);
                pseudoClassStateChanged(DEPENDENT, !empty && r != null && r.dependent());
                pseudoClassStateChanged(UNCHOSEN, !empty && r != null && !r.isChosen());
            }
        });
        Label unfixable = new Label();
        unfixable.setId("unfixable");
        unfixable.getStyleClass().add("warning");
        unfixable.setWrapText(true);
        unfixable.setMinHeight(Label.USE_PREF_SIZE);
        vm.unfixable().addListener((javafx.collections.ListChangeListener<String>) c -> {
            unfixable.setText(vm.unfixable().isEmpty() ? "" : "No fix answers: " + String.join("; ", vm.unfixable()));
            unfixable.setVisible(!vm.unfixable().isEmpty());
            unfixable.setManaged(!vm.unfixable().isEmpty());
        });
        unfixable.setVisible(false);
        unfixable.setManaged(false);
        VBox left = new VBox(4, table, backingRow(), unfixable);
        VBox.setVgrow(table, Priority.ALWAYS);
        SplitPane split = new SplitPane(left, detail);
        split.setDividerPositions(0.6);
        setCenter(split);
    }

    /** Under the fixes when the backing link is missing or loops: "Point at another backing file...". */
    private javafx.scene.layout.HBox backingRow() {
        Button backing = new Button("Point at another backing file...", new FontIcon(Feather.LINK));
        backing.setId("repairBacking");
        backing.setMinWidth(Button.USE_PREF_SIZE);
        backing.disableProperty().bind(vm.planningProperty());
        backing.setOnAction(e -> {
            java.nio.file.Path f = backingChooser.get();
            if (f != null) {
                vm.pointBackingAt(f);
            }
        });
        Label note = new Label();
        note.setId("repairBackingNote");
        note.getStyleClass().add("text-muted");
        note.setWrapText(true);
        note.setMinHeight(Label.USE_PREF_SIZE);
        note.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> vm.backingFileProperty()
                .get() == null ? "The backing link is broken. Name another backing file (the engine checks its "
                + "format, virtual size and loops) to be offered re-pointing the link; neither fix is chosen for you."
                : "Offered above, not chosen: re-point the link at " + vm.backingFileProperty().get().getFileName()
                + ".", vm.backingFileProperty()));
        javafx.scene.layout.HBox.setHgrow(note, Priority.ALWAYS);
        javafx.scene.layout.HBox row = new javafx.scene.layout.HBox(8, backing, note);
        row.getStyleClass().add("repair-backing");
        row.visibleProperty().bind(vm.backingBrokenProperty());
        row.managedProperty().bind(vm.backingBrokenProperty());
        return row;
    }

    private java.nio.file.Path chooseBacking() {
        javafx.stage.FileChooser fc = new javafx.stage.FileChooser();
        fc.setTitle("Backing file to point the image at");
        java.io.File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        return f == null ? null : f.toPath();
    }

    /** Replaces the file chooser of "Point at another backing file..." (tests answer it without a dialog). */
    public void setBackingChooser(java.util.function.Supplier<java.nio.file.Path> chooser) {
        backingChooser = chooser;
    }

    /** A checkbox per fix; where two fixes mend one damage, a radio button beside it picks the way. */
    private TableColumn<FixRow, FixRow> chosenColumn() {
        TableColumn<FixRow, FixRow> c = Columns.object("Apply", r -> r, 76);
        c.setCellFactory(col -> new TableCell<>() {
            private final CheckBox box = new CheckBox();
            private final RadioButton radio = new RadioButton();
            private final javafx.scene.layout.HBox both = new javafx.scene.layout.HBox(4);

            @Override
            protected void updateItem(FixRow r, boolean empty) {
                super.updateItem(r, empty);
                if (empty || r == null) {
                    setGraphic(null);
                    return;
                }
                box.setSelected(r.isChosen());
                box.setDisable(r.dependent());
                box.setOnAction(e -> vm.setChosen(r, box.isSelected()));
                box.getStyleClass().setAll("check-box", "fix-check");
                both.getChildren().setAll(box);
                if (r.hasAlternative()) {
                    radio.setSelected(r.isChosen());
                    radio.setOnAction(e -> vm.choose(r));
                    radio.setTooltip(new Tooltip("Mend this damage this way (fix " + r.group() + "'s group)"));
                    both.getChildren().add(radio);
                }
                setGraphic(both);
            }
        });
        return c;
    }

    private TableColumn<FixRow, FixRow> riskColumn() {
        TableColumn<FixRow, FixRow> c = Columns.object("Risk", r -> r, 200);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(FixRow r, boolean empty) {
                super.updateItem(r, empty);
                setGraphic(empty || r == null ? null : RiskBadge.of(r.risk()));
            }
        });
        return c;
    }

    private void initListeners() {
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && b != vm.currentProperty().get()) {
                vm.show(b);
            }
        });
        vm.currentProperty().addListener((o, a, b) -> detail.show(b));
        vm.rows().addListener((javafx.collections.ListChangeListener<FixRow>) ch -> {
            FixRow cur = vm.currentProperty().get();
            if (cur != null && table.getSelectionModel().getSelectedItem() != cur) {
                table.getSelectionModel().select(cur);
            }
            detail.show(cur);
        });
        vm.resultProperty().addListener((o, a, b) -> card.show(b));
        card.show(vm.resultProperty().get());
    }

    /** The table of fixes (for tests). */
    public TableView<FixRow> fixTable() {
        return table;
    }
}

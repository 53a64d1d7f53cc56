package io.qcowscope.app.ui.view.repair;

import io.qcowscope.app.ui.view.Columns;
import io.qcowscope.app.ui.viewmodel.repair.HeaderFieldRow;
import io.qcowscope.app.ui.viewmodel.repair.RescueFixRow;
import io.qcowscope.app.ui.viewmodel.repair.RescueViewModel;
import java.util.List;
import java.util.function.Predicate;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The rescue of an image the window cannot open (issue 14): each damaged header field with its candidates (a radio
 * button each, the default chosen) and their evidence; every fix of the plan with a checkbox; the orphan tables found;
 * where the rescue goes ({@link RescueTargetPane}); after it is written, the re-check, Open and Undo.
 */
public final class RescueView extends BorderPane {
    private static final javafx.css.PseudoClass UNCHOSEN = javafx.css.PseudoClass.getPseudoClass("unchosen");
    private final RescueViewModel vm;
    private final VBox fieldBox = new VBox(8);
    private final TableView<RescueFixRow> table;
    /** Asks before anything is written; a dialog in the window, replaceable for tests. */
    private Predicate<List<String>> confirm = this::confirmDialog;

    public RescueView(RescueViewModel vm) {
        this.vm = vm;
        this.table = Columns.table(vm.fixes());
        getStyleClass().add("rescue-view");
        setId("rescueView");
        createView();
        initListeners();
    }

    private void createView() {
        Label title = new Label();
        title.setId("rescueTitle");
        title.getStyleClass().add("title-3");
        title.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> vm.imageProperty().get() == null
                ? "Rescue" : "Rescue " + vm.imageProperty().get().getFileName(), vm.imageProperty()));
        Label intro = new Label("The window cannot open this image. The rescue reads it field by field and proposes "
                + "values from the evidence in the file. Nothing is written until you confirm: a new copy by "
                + "default, or this file in place behind an undo journal that puts it back bit for bit.");
        intro.getStyleClass().add("text-muted");
        wrap(intro);
        Button again = new Button("Plan again", new FontIcon(Feather.REFRESH_CW));
        again.setId("planRescue");
        again.setMinWidth(Button.USE_PREF_SIZE);
        again.setOnAction(e -> vm.plan());
        again.disableProperty().bind(vm.planningProperty().or(vm.writingProperty()));
        Button cancel = new Button("Cancel", new FontIcon(Feather.X_CIRCLE));
        cancel.setId("cancelRescue");
        cancel.setOnAction(e -> vm.cancel());
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(vm.progressProperty());
        for (javafx.scene.Node n : new javafx.scene.Node[]{cancel, progress}) {
            n.visibleProperty().bind(vm.planningProperty().or(vm.writingProperty()));
            n.managedProperty().bind(n.visibleProperty());
        }
        Label choice = new Label();
        choice.setId("rescueChoice");
        choice.textProperty().bind(vm.choiceProperty());
        choice.getStyleClass().add("text-muted");
        FlowPane bar = new FlowPane(8, 4, again, cancel, progress, choice);
        bar.getStyleClass().add("repair-bar");
        Label status = new Label();
        status.setId("rescueStatus");
        status.textProperty().bind(vm.statusProperty());
        wrap(status);
        Label pending = new Label();
        pending.setId("rescuePending");
        pending.getStyleClass().add("warning");
        pending.textProperty().bind(vm.pendingProperty());
        wrap(pending);
        showWhen(pending, vm.pendingProperty().isNotEmpty());
        VBox top = new VBox(4, title, intro, bar, status, pending);
        top.getStyleClass().add("repair-top");
        setTop(top);

        fieldBox.setId("rescueFields");
        fieldBox.getStyleClass().add("rescue-fields");
        ScrollPane fields = new ScrollPane(fieldBox);
        fields.setFitToWidth(true);
        Label fieldsTitle = new Label("Damaged header fields");
        fieldsTitle.getStyleClass().add("title-4");
        VBox fieldPane = new VBox(4, fieldsTitle, fields);
        VBox.setVgrow(fields, Priority.ALWAYS);

        table.setId("rescueFixes");
        table.setPlaceholder(new Label("The fixes appear here once the rescue is planned; nothing is written."));
        table.getColumns().add(chosenColumn());
        table.getColumns().add(riskColumn());
        table.getColumns().add(Columns.text("Kind", RescueFixRow::kindLabel, 150));
        table.getColumns().add(Columns.mono(Columns.wrapping("Where", r -> r.fix().path(), 160)));
        table.getColumns().add(Columns.optional(Columns.wrapping("Note", RescueFixRow::note, 140), 0));
        // last: the widest text takes the width the others leave
        table.getColumns().add(Columns.wrapping("What and why", RescueFixRow::what, 360));
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(RescueFixRow r, boolean empty) {
                super.updateItem(r, empty);
                pseudoClassStateChanged(UNCHOSEN, !empty && r != null && !r.isChosen());
            }
        });
        Label orphans = new Label();
        orphans.setId("rescueOrphans");
        wrap(orphans);
        vm.orphans().addListener((ListChangeListener<String>) c -> orphans.setText(vm.orphans().isEmpty() ? ""
                : "Lost data (offered for re-linking above, never by default): " + String.join("; ", vm.orphans())));
        showWhen(orphans, orphans.textProperty().isNotEmpty());
        Label fixesTitle = new Label("Fixes");
        fixesTitle.getStyleClass().add("title-4");
        VBox fixPane = new VBox(4, fixesTitle, table, orphans);
        VBox.setVgrow(table, Priority.ALWAYS);
        SplitPane split = new SplitPane(fieldPane, fixPane);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.35);
        setCenter(split);
        setBottom(new RescueTargetPane(vm, () -> confirm.test(vm.changes())));
    }

    /** A checkbox per fix (a header candidate is chosen above, not here). */
    private TableColumn<RescueFixRow, RescueFixRow> chosenColumn() {
        TableColumn<RescueFixRow, RescueFixRow> c = Columns.object("Apply", r -> r, 64);
        c.setCellFactory(col -> new TableCell<>() {
            private final CheckBox box = new CheckBox();

            @Override
            protected void updateItem(RescueFixRow r, boolean empty) {
                super.updateItem(r, empty);
                if (empty || r == null) {
                    setGraphic(null);
                    return;
                }
                box.setSelected(r.isChosen());
                box.setDisable(r.header());
                box.setOnAction(e -> {
                    vm.setChosen(r, box.isSelected());
                    table.refresh();
                });
                box.getStyleClass().setAll("check-box", "fix-check");
                setGraphic(box);
            }
        });
        return c;
    }

    private TableColumn<RescueFixRow, RescueFixRow> riskColumn() {
        TableColumn<RescueFixRow, RescueFixRow> c = Columns.object("Risk", r -> r, 200);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(RescueFixRow r, boolean empty) {
                super.updateItem(r, empty);
                setGraphic(empty || r == null ? null : RiskBadge.of(r.risk()));
            }
        });
        return c;
    }

    /** One damaged field: what was found and why it fails, then a radio button per candidate with its evidence. */
    private VBox field(HeaderFieldRow row) {
        Label name = new Label(row.field() + " (" + row.where() + "): found " + row.found());
        name.getStyleClass().add("field-name");
        Label problem = new Label(row.problem());
        wrap(problem);
        VBox box = new VBox(4, name, problem);
        box.getStyleClass().add("rescue-field");
        ToggleGroup group = new ToggleGroup();
        for (int i = 0; i < row.choices().size(); i++) {
            HeaderFieldRow.Choice c = row.choices().get(i);
            int index = i;
            RadioButton rb = new RadioButton(c.label() + "  (score " + c.score() + ")");
            rb.setId("candidate-" + row.field().replaceAll("[^A-Za-z0-9_]", "-") + "-" + i);
            rb.setToggleGroup(group);
            rb.setSelected(i == row.chosen());
            rb.setOnAction(e -> vm.choose(row, index));
            rb.disableProperty().bind(vm.planningProperty());
            Label evidence = new Label(c.evidence());
            evidence.getStyleClass().addAll("text-muted", "rescue-evidence");
            wrap(evidence);
            box.getChildren().addAll(rb, evidence);
        }
        if (row.chosen() < 0) {
            Label none = new Label("No candidate is conclusive: choose one.");
            none.getStyleClass().add("warning");
            box.getChildren().add(none);
        }
        return box;
    }

    private void initListeners() {
        vm.fields().addListener((ListChangeListener<HeaderFieldRow>) c -> showFields());
        vm.planningProperty().addListener((o, a, b) -> showFields());
        showFields();
    }

    private void showFields() {
        fieldBox.getChildren().clear();
        for (HeaderFieldRow r : vm.fields()) {
            fieldBox.getChildren().add(field(r));
        }
        if (vm.fields().isEmpty()) {
            Label none = new Label(vm.planningProperty().get() ? "Reading the header..."
                    : "No header field fails validation: the damage is in the tables (see the fixes).");
            none.getStyleClass().add("text-muted");
            fieldBox.getChildren().add(none);
        }
    }

    private boolean confirmDialog(List<String> changes) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        boolean here = vm.inPlaceProperty().get();
        a.setTitle(here ? "Rescue in place?" : "Write the rescued copy?");
        a.setHeaderText(vm.confirmation());
        a.setContentText(vm.confirmationDetail() + "\n\n" + String.join("\n", changes));
        ButtonType write = new ButtonType(here ? "Rescue in place" : "Write the copy", ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(write, ButtonType.CANCEL);
        a.getDialogPane().setId("rescueConfirm");
        if (getScene() != null) {
            a.initOwner(getScene().getWindow());
            a.getDialogPane().getStylesheets().setAll(getScene().getStylesheets());
        }
        return a.showAndWait().orElse(ButtonType.CANCEL) == write;
    }

    /** Replaces the confirmation before anything is written (tests answer it without a dialog). */
    public void setConfirm(Predicate<List<String>> p) {
        confirm = p;
    }

    private static void wrap(Label l) {
        l.setWrapText(true);
        l.setMinHeight(Label.USE_PREF_SIZE);
    }

    private static void showWhen(javafx.scene.Node n, javafx.beans.value.ObservableBooleanValue b) {
        n.visibleProperty().bind(b);
        n.managedProperty().bind(b);
    }

    /** The table of fixes (for tests). */
    public TableView<RescueFixRow> fixTable() {
        return table;
    }
}

package io.qcowscope.app.ui.view.repair;

import io.qcowscope.app.ui.view.Columns;
import io.qcowscope.app.ui.viewmodel.repair.HeaderFieldRow;
import io.qcowscope.app.ui.viewmodel.repair.RescueFixRow;
import io.qcowscope.app.ui.viewmodel.repair.RescueViewModel;
import io.qcowscope.engine.repair.FixKind;
import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The rescue of an image the window cannot open (issue 14): each damaged header field with its candidates (a radio
 * button each, the default chosen) and their evidence; every fix of the plan with a checkbox; the orphan tables found;
 * where the rescued copy goes; after it is written, the re-check and "Open the rescued copy".
 */
public final class RescueView extends BorderPane {
    private static final javafx.css.PseudoClass UNCHOSEN = javafx.css.PseudoClass.getPseudoClass("unchosen");
    private final RescueViewModel vm;
    private final VBox fieldBox = new VBox(8);
    private final TableView<RescueFixRow> table;
    private final ResultCard card;
    private final TextField target = new TextField();
    /** Asks before the copy is written; a dialog in the window, replaceable for tests. */
    private Predicate<List<String>> confirm = this::confirmDialog;

    public RescueView(RescueViewModel vm) {
        this.vm = vm;
        this.table = Columns.table(vm.fixes());
        this.card = new ResultCard(vm::dismissResult);
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
                + "values from the evidence in the file. Nothing is written until you write the rescued copy; the "
                + "damaged file is only read.");
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
        setBottom(bottom());
    }

    /** Where the copy goes, a backing file to re-point to, Write; the re-check and Open after. */
    private VBox bottom() {
        target.setId("rescueTarget");
        target.setPrefColumnCount(40);
        HBox.setHgrow(target, Priority.ALWAYS);
        vm.targetProperty().addListener((o, a, b) -> {
            String s = b == null ? "" : b.toString();
            if (!s.equals(target.getText())) {
                target.setText(s);
            }
        });
        target.textProperty().addListener((o, a, b) -> {
            try {
                vm.targetProperty().set(b.isBlank() ? null : Path.of(b));
            } catch (InvalidPathException e) {
                vm.targetProperty().set(null);
            }
        });
        Button browse = new Button("Choose...", new FontIcon(Feather.FOLDER));
        browse.setOnAction(e -> chooseTarget());
        Button write = new Button("Write the rescued copy", new FontIcon(Feather.SAVE));
        write.setId("writeRescue");
        write.getStyleClass().add("accent");
        write.setTooltip(new Tooltip("Write a new file with the chosen fixes; the damaged image is only read"));
        write.disableProperty().bind(vm.readyProperty().not().or(vm.writingProperty()).or(vm.planningProperty()));
        write.setOnAction(e -> {
            if (confirm.test(vm.changes())) {
                vm.rescue();
            }
        });
        Label to = new Label("Rescued copy:");
        to.setMinWidth(Label.USE_PREF_SIZE);
        browse.setMinWidth(Button.USE_PREF_SIZE);
        write.setMinWidth(Button.USE_PREF_SIZE);
        HBox targetRow = new HBox(8, to, target, browse, write);
        targetRow.getStyleClass().add("rescue-target");

        Button backing = new Button("Point the backing link at a file...", new FontIcon(Feather.LINK));
        backing.setId("rescueBacking");
        backing.setMinWidth(Button.USE_PREF_SIZE);
        backing.setOnAction(e -> chooseBacking());
        Label backingNote = new Label("The backing file is missing or forms a loop: name another one to re-point "
                + "the link to (checked for format, size and loops).");
        backingNote.getStyleClass().add("text-muted");
        wrap(backingNote);
        HBox.setHgrow(backingNote, Priority.ALWAYS);
        HBox backingRow = new HBox(8, backing, backingNote);
        showWhen(backingRow, javafx.beans.binding.Bindings.createBooleanBinding(() -> vm.fixes().stream().anyMatch(
                r -> r.kind() == FixKind.DROP_BACKING || r.kind() == FixKind.REPOINT_BACKING), vm.fixes()));

        Button open = new Button("Open the rescued copy", new FontIcon(Feather.FOLDER_PLUS));
        open.setId("openRescued");
        open.setOnAction(e -> vm.openCopy());
        showWhen(open, vm.resultProperty().isNotNull());
        VBox box = new VBox(6, backingRow, targetRow, card, open);
        box.getStyleClass().add("rescue-bottom");
        return box;
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
        vm.resultProperty().addListener((o, a, b) -> card.show(b));
        card.show(vm.resultProperty().get());
        showFields();
        if (vm.targetProperty().get() != null) {
            target.setText(vm.targetProperty().get().toString());
        }
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
        a.setTitle("Write the rescued copy?");
        a.setHeaderText("Write the rescued copy " + vm.targetProperty().get().getFileName() + "?");
        a.setContentText("A new file " + vm.targetProperty().get() + " gets the damaged image's clusters with these "
                + "fixes; " + vm.imageProperty().get().getFileName() + " is only read.\n\n" + String.join("\n",
                changes));
        ButtonType write = new ButtonType("Write the copy", ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(write, ButtonType.CANCEL);
        a.getDialogPane().setId("rescueConfirm");
        if (getScene() != null) {
            a.initOwner(getScene().getWindow());
            a.getDialogPane().getStylesheets().setAll(getScene().getStylesheets());
        }
        return a.showAndWait().orElse(ButtonType.CANCEL) == write;
    }

    /** Replaces the confirmation before the copy is written (tests answer it without a dialog). */
    public void setConfirm(Predicate<List<String>> p) {
        confirm = p;
    }

    private void chooseTarget() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Write the rescued copy to");
        Path t = vm.targetProperty().get();
        if (t != null && t.getParent() != null) {
            fc.setInitialDirectory(t.getParent().toFile());
            fc.setInitialFileName(t.getFileName().toString());
        }
        File f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            vm.targetProperty().set(f.toPath());
        }
    }

    private void chooseBacking() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Backing file to point the image at");
        Path img = vm.imageProperty().get();
        if (img != null && img.getParent() != null) {
            fc.setInitialDirectory(img.getParent().toFile());
        }
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            vm.backingFileProperty().set(f.toPath());
        }
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

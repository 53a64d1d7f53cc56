package io.qcowscope.app.ui.view.repair;

import io.qcowscope.app.ui.viewmodel.repair.RescueViewModel;
import io.qcowscope.engine.repair.FixKind;
import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The rescue window's lower part (issue 14): where the rescue goes (a new copy, the default, or this file in place
 * behind an undo journal beside it, the name shown and changeable), a backing file to re-point a broken link to, the
 * button that asks and writes, the re-check, "Open" and, after an in-place rescue, "Undo the rescue".
 */
final class RescueTargetPane extends VBox {
    private final RescueViewModel vm;
    private final TextField name = new TextField();
    private final ResultCard card;

    /** @param confirm asks before anything is written; true writes */
    RescueTargetPane(RescueViewModel vm, BooleanSupplier confirm) {
        super(6);
        this.vm = vm;
        this.card = new ResultCard(vm::dismissResult);
        getStyleClass().add("rescue-bottom");
        ToggleGroup where = new ToggleGroup();
        RadioButton copy = new RadioButton("A new copy (the damaged file is only read)");
        copy.setId("rescueToCopy");
        RadioButton inPlace = new RadioButton("This file in place, behind an undo journal beside it");
        inPlace.setId("rescueInPlace");
        copy.setToggleGroup(where);
        inPlace.setToggleGroup(where);
        copy.setSelected(!vm.inPlaceProperty().get());
        inPlace.setSelected(vm.inPlaceProperty().get());
        inPlace.selectedProperty().addListener((o, a, b) -> vm.inPlaceProperty().set(b));
        vm.inPlaceProperty().addListener((o, a, b) -> (b ? inPlace : copy).setSelected(true));
        for (RadioButton rb : new RadioButton[]{copy, inPlace}) {
            rb.disableProperty().bind(vm.writingProperty());
        }
        Label rescueTo = new Label("Rescue to:");
        rescueTo.getStyleClass().add("field-name");
        FlowPane choice = new FlowPane(16, 4, rescueTo, copy, inPlace);
        choice.getStyleClass().add("rescue-target");
        HBox.setHgrow(choice, Priority.ALWAYS);

        name.setId("rescueTarget");
        name.setPrefColumnCount(40);
        HBox.setHgrow(name, Priority.ALWAYS);
        vm.targetProperty().addListener((o, a, b) -> showName());
        vm.journalProperty().addListener((o, a, b) -> showName());
        vm.inPlaceProperty().addListener((o, a, b) -> showName());
        name.textProperty().addListener((o, a, b) -> edited(b));
        showName();
        Label to = new Label();
        to.setId("rescueTargetLabel");
        to.textProperty().bind(Bindings.when(vm.inPlaceProperty()).then("Undo journal:").otherwise("Rescued copy:"));
        to.setMinWidth(Label.USE_PREF_SIZE);
        Button browse = new Button("Choose...", new FontIcon(Feather.FOLDER));
        browse.setMinWidth(Button.USE_PREF_SIZE);
        browse.setOnAction(e -> chooseName());
        Button write = new Button(null, new FontIcon(Feather.SAVE));
        write.textProperty().bind(Bindings.when(vm.inPlaceProperty()).then("Rescue in place...")
                .otherwise("Write the rescued copy"));
        write.setId("writeRescue");
        write.getStyleClass().add("accent");
        write.setTooltip(new Tooltip("Asks first, naming the file written; in place, every overwritten byte is saved in "
                + "the undo journal before it is written"));
        write.disableProperty().bind(vm.readyProperty().not().or(vm.writingProperty()).or(vm.planningProperty()));
        write.setOnAction(e -> {
            if (confirm.getAsBoolean()) {
                vm.rescue();
            }
        });
        write.setMinWidth(Button.USE_PREF_SIZE);
        HBox targetRow = new HBox(8, to, name, browse, write);
        targetRow.getStyleClass().add("rescue-target");

        Button undo = new Button("Undo the rescue", new FontIcon(Feather.ROTATE_CCW));
        undo.setId("undoRescue");
        undo.setMinWidth(Button.USE_PREF_SIZE);
        undo.setOnAction(e -> vm.undo());
        undo.disableProperty().bind(vm.writingProperty());
        Button open = new Button(null, new FontIcon(Feather.FOLDER_PLUS));
        open.textProperty().bind(Bindings.createStringBinding(() -> vm.resultProperty().get() != null
                && vm.resultProperty().get().inPlace() ? "Open the rescued image" : "Open the rescued copy",
                vm.resultProperty()));
        open.setId("openRescued");
        open.setMinWidth(Button.USE_PREF_SIZE);
        open.setOnAction(e -> vm.openCopy());
        showWhen(open, vm.resultProperty().isNotNull());
        showWhen(undo, vm.lastJournalProperty().isNotNull());
        // after a rescue, Open and Undo sit at the end of the choice's row: the fixes keep their height at 1024x700
        HBox chooseRow = new HBox(8, choice, open, undo);
        chooseRow.getStyleClass().add("rescue-target");
        vm.resultProperty().addListener((o, a, b) -> card.show(b));
        card.show(vm.resultProperty().get());
        getChildren().addAll(backingRow(), chooseRow, targetRow, card);
    }

    private HBox backingRow() {
        Button backing = new Button("Point the backing link at a file...", new FontIcon(Feather.LINK));
        backing.setId("rescueBacking");
        backing.setMinWidth(Button.USE_PREF_SIZE);
        backing.setOnAction(e -> chooseBacking());
        Label backingNote = new Label("The backing file is missing or forms a loop: name another one to re-point "
                + "the link to (checked for format, size and loops).");
        backingNote.getStyleClass().add("text-muted");
        backingNote.setWrapText(true);
        backingNote.setMinHeight(Label.USE_PREF_SIZE);
        HBox.setHgrow(backingNote, Priority.ALWAYS);
        HBox row = new HBox(8, backing, backingNote);
        showWhen(row, Bindings.createBooleanBinding(() -> vm.fixes().stream().anyMatch(
                r -> r.kind() == FixKind.DROP_BACKING || r.kind() == FixKind.REPOINT_BACKING), vm.fixes()));
        return row;
    }

    /** The name field edits the copy's name, or in place the journal's. */
    private ObjectProperty<Path> named() {
        return vm.inPlaceProperty().get() ? vm.journalProperty() : vm.targetProperty();
    }

    private void showName() {
        Path p = named().get();
        String s = p == null ? "" : p.toString();
        if (!s.equals(name.getText())) {
            name.setText(s);
        }
    }

    private void edited(String text) {
        Path p;
        try {
            p = text.isBlank() ? null : Path.of(text);
        } catch (InvalidPathException e) {
            p = null;
        }
        named().set(p);
    }

    private void chooseName() {
        FileChooser fc = new FileChooser();
        fc.setTitle(vm.inPlaceProperty().get() ? "Record the in-place rescue's undo journal in"
                : "Write the rescued copy to");
        Path t = named().get();
        if (t != null && t.getParent() != null) {
            fc.setInitialDirectory(t.getParent().toFile());
            fc.setInitialFileName(t.getFileName().toString());
        }
        File f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            named().set(f.toPath());
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

    private static void showWhen(Node n, javafx.beans.value.ObservableBooleanValue b) {
        n.visibleProperty().bind(b);
        n.managedProperty().bind(b);
    }
}

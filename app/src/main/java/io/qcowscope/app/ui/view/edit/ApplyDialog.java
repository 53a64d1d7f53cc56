package io.qcowscope.app.ui.view.edit;

import io.qcowscope.app.ui.viewmodel.edit.ApplyRequest;
import io.qcowscope.app.ui.viewmodel.edit.ApplyRunner;
import io.qcowscope.app.ui.viewmodel.edit.EditViewModel;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.repair.RiskLevel;
import java.nio.file.Path;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The Apply confirmation: every pending operation with its risk and what it changes, and the target: this file in place
 * with an undo journal (name shown, changeable), or a new sparse copy.
 */
public final class ApplyDialog extends Dialog<ApplyRequest> {
    static final ButtonType APPLY = new ButtonType("Apply", ButtonBar.ButtonData.OK_DONE);

    private final RadioButton inPlace = new RadioButton("This file, in place, with an undo journal:");
    private final RadioButton copy = new RadioButton("A new copy (written sparse), this file untouched:");
    private final TextField journal = new TextField();
    private final TextField copyPath = new TextField();

    public ApplyDialog(EditViewModel vm, Path image) {
        setTitle("Apply pending operations");
        int n = vm.queue().items().size();
        setHeaderText("Apply " + Plural.of(n, "operation") + " to " + image.getFileName() + "?");
        getDialogPane().setId("applyDialog");
        getDialogPane().getStyleClass().add("apply-dialog");

        TextArea changes = new TextArea(String.join("\n", vm.confirmationLines()));
        changes.setId("applyChanges");
        changes.setEditable(false);
        changes.setWrapText(true);
        changes.setPrefRowCount(Math.min(12, Math.max(4, vm.confirmationLines().size())));
        changes.setPrefColumnCount(70);
        changes.getStyleClass().add("apply-changes");

        RiskLevel highest = vm.highestRisk();
        HBox risk = new HBox(6, new Label("Highest risk:"), RiskBadge.of(highest == null ? RiskLevel.SAFE : highest));

        ToggleGroup target = new ToggleGroup();
        inPlace.setToggleGroup(target);
        copy.setToggleGroup(target);
        inPlace.setSelected(true);
        inPlace.setId("targetInPlace");
        copy.setId("targetCopy");
        journal.setId("journalPath");
        copyPath.setId("copyPath");
        journal.setText(ApplyRunner.defaultJournal(image).toString());
        copyPath.setText(ApplyRunner.defaultCopy(image).toString());
        journal.disableProperty().bind(inPlace.selectedProperty().not());
        copyPath.disableProperty().bind(copy.selectedProperty().not());
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        grid.addRow(0, inPlace, journal);
        grid.addRow(1, copy, copyPath);
        GridPane.setHgrow(journal, Priority.ALWAYS);
        GridPane.setHgrow(copyPath, Priority.ALWAYS);
        Label undoNote = new Label("Undo last apply (and File > Undo from journal..., also after a restart) puts the file "
                + "back bit for bit from the journal.");
        undoNote.setWrapText(true);

        VBox content = new VBox(8, new Label("What will change:"), changes, risk, new Label("Write to:"), grid, undoNote);
        content.setPrefWidth(720);
        getDialogPane().setContent(content);
        getDialogPane().getButtonTypes().setAll(APPLY, ButtonType.CANCEL);
        getDialogPane().lookupButton(APPLY).disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> (inPlace.isSelected() ? journal.getText() : copyPath.getText()).isBlank(), inPlace.selectedProperty(),
                journal.textProperty(), copyPath.textProperty()));
        setResultConverter(b -> b != APPLY ? null : inPlace.isSelected()
                ? ApplyRequest.inPlace(Path.of(journal.getText().strip()))
                : ApplyRequest.toCopy(Path.of(copyPath.getText().strip())));
    }
}

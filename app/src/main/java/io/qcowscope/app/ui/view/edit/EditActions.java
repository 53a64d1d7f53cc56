package io.qcowscope.app.ui.view.edit;

import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.edit.ApplyRequest;
import io.qcowscope.app.ui.viewmodel.edit.EditViewModel;
import io.qcowscope.engine.format.Plural;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The window's edit controls around the edit view-model: the Edit toggle (lock icon, Ctrl+E), File menu items (Open for
 * editing, Apply, Undo last apply, Undo from journal), the Apply confirmation, the offer to open a copy, the mode in the
 * status bar, and the question before an image or the window closes with pending operations.
 */
public final class EditActions {
    private final MainViewModel main;
    private final EditViewModel vm;
    private final Node owner;
    private final QueuePanel queuePanel;

    public EditActions(MainViewModel main, Node owner) {
        this.main = main;
        this.vm = main.edit();
        this.owner = owner;
        this.queuePanel = new QueuePanel(vm, this::apply);
        var shown = vm.mode().editingProperty().or(javafx.beans.binding.Bindings.isNotEmpty(vm.queue().items()))
                .or(javafx.beans.binding.Bindings.isNotEmpty(vm.runner().lastSummaries()));
        queuePanel.visibleProperty().bind(shown);
        queuePanel.managedProperty().bind(shown);
        vm.setDiscardPrompt(this::askDiscard);
        vm.runner().copyToOfferProperty().addListener((o, a, b) -> {
            if (b != null) {
                offerCopy(b);
            }
        });
        owner.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((o2, a2, w) -> guardClose(w));
                guardClose(scene.getWindow());
            }
        });
    }

    public QueuePanel queuePanel() {
        return queuePanel;
    }

    /** The toolbar's Edit toggle (a lock while read-only, open while editing) and Apply. */
    public List<Node> toolbarItems() {
        ToggleButton edit = new ToggleButton("Edit", new FontIcon(Feather.LOCK));
        edit.setId("editToggle");
        edit.setTooltip(new Tooltip("Edit (Ctrl+E): reopen the image writable, taking QEMU's write lock; changes are "
                + "queued until Apply"));
        edit.disableProperty().bind(main.sessionProperty().isNull().or(vm.runner().runningProperty()));
        edit.setOnAction(e -> {
            boolean want = edit.isSelected();
            edit.setSelected(vm.mode().isEditing()); // the mode sets it once the locks are taken
            requestEditing(want);
        });
        vm.mode().editingProperty().addListener((o, a, b) -> {
            edit.setSelected(b);
            ((FontIcon) edit.getGraphic()).setIconCode(b ? Feather.UNLOCK : Feather.LOCK);
        });
        Button apply = new Button("Apply", new FontIcon(Feather.PLAY));
        apply.setId("applyToolbar");
        apply.setTooltip(new Tooltip("Apply the pending operations (a confirmation lists them first)"));
        apply.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.queue().items())
                .or(vm.mode().editingProperty().not()).or(vm.runner().runningProperty()));
        apply.setOnAction(e -> apply());
        return List.of(edit, apply);
    }

    /** Edit on takes the locks; off drops the pending operations (after asking) and releases them. */
    private void requestEditing(boolean want) {
        if (!want && !vm.queue().isEmpty() && !askDiscard(vm.queue().items().size())) {
            return;
        }
        if (!want) {
            vm.queue().items().clear();
        }
        vm.mode().setEditing(want);
    }

    /** File menu items: Open for editing (Ctrl+E), Apply, Undo last apply, Undo from journal. */
    public List<MenuItem> fileMenuItems() {
        CheckMenuItem edit = new CheckMenuItem("Open for _editing");
        edit.setId("openForEditing");
        edit.setAccelerator(KeyCombination.keyCombination("Shortcut+E"));
        edit.disableProperty().bind(main.sessionProperty().isNull().or(vm.runner().runningProperty()));
        vm.mode().editingProperty().addListener((o, a, b) -> edit.setSelected(b));
        edit.setOnAction(e -> {
            boolean want = edit.isSelected();
            edit.setSelected(vm.mode().isEditing());
            requestEditing(want);
        });
        MenuItem apply = new MenuItem("_Apply pending operations...", new FontIcon(Feather.PLAY));
        apply.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+A"));
        apply.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.queue().items())
                .or(vm.mode().editingProperty().not()).or(vm.runner().runningProperty()));
        apply.setOnAction(e -> apply());
        MenuItem undo = new MenuItem("_Undo last apply", new FontIcon(Feather.ROTATE_CCW));
        undo.setId("undoLastApply");
        undo.disableProperty().bind(vm.runner().lastJournalProperty().isNull().or(vm.runner().runningProperty()));
        undo.setOnAction(e -> vm.runner().undoLast());
        MenuItem fromJournal = new MenuItem("Undo from _journal...");
        fromJournal.setId("undoFromJournal");
        fromJournal.disableProperty().bind(vm.runner().runningProperty());
        fromJournal.setOnAction(e -> chooseJournal());
        return List.of(new SeparatorMenuItem(), edit, apply, undo, fromJournal);
    }

    /** The status bar's mode label follows the edit mode: text, lock icon, tooltip, and a colour class when editing. */
    public void bindModeLabel(Label mode) {
        mode.textProperty().bind(vm.mode().labelProperty());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(vm.mode().detailProperty());
        mode.setTooltip(tip);
        vm.mode().editingProperty().addListener((o, a, b) -> {
            mode.setGraphic(new FontIcon(b ? Feather.UNLOCK : Feather.LOCK));
            if (b) {
                mode.getStyleClass().add("status-mode-editing");
            } else {
                mode.getStyleClass().remove("status-mode-editing");
            }
        });
        vm.mode().repairOnlyProperty().addListener((o, a, b) -> {
            if (b) {
                mode.getStyleClass().add("status-mode-repair");
            } else {
                mode.getStyleClass().remove("status-mode-repair");
            }
        });
    }

    /** Shows the confirmation and applies to the target chosen there. */
    public void apply() {
        if (main.sessionProperty().get() == null || vm.queue().isEmpty()) {
            return;
        }
        ApplyDialog d = new ApplyDialog(vm, main.sessionProperty().get().path());
        d.initOwner(window());
        Optional<ApplyRequest> r = d.showAndWait();
        r.ifPresent(vm.runner()::apply);
    }

    private void chooseJournal() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Undo from an undo journal");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Undo journals", "*.undo", "*.undo-*"),
                new FileChooser.ExtensionFilter("All files", "*"));
        if (main.sessionProperty().get() != null) {
            File dir = main.sessionProperty().get().path().getParent().toFile();
            if (dir.isDirectory()) {
                fc.setInitialDirectory(dir);
            }
        }
        File f = fc.showOpenDialog(window());
        if (f != null && confirm("Undo from journal", "Put the image named in " + f.getName() + " back as it was?",
                "Every byte the journalled apply changed is restored and the file is cut to its old length; anything "
                        + "written to the image since that apply is lost.", "Undo")) {
            vm.runner().undoFrom(f.toPath());
        }
    }

    private boolean askDiscard(int pending) {
        return confirm("Pending operations", "Drop " + Plural.of(pending, "pending operation") + "?",
                "Nothing of " + (pending == 1 ? "it" : "them") + " has been written. Apply first to keep "
                        + (pending == 1 ? "it" : "them") + ".", "Drop them");
    }

    private void offerCopy(Path copy) {
        if (confirm("Copy written", "The operations were written to " + copy.getFileName(),
                copy + " passed through the engine's writer; this file is unchanged. Open the copy?", "Open the copy")) {
            main.open(copy);
        }
    }

    private boolean confirm(String title, String header, String text, String yes) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.setTitle(title);
        a.setHeaderText(header);
        a.setContentText(text);
        a.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
        a.getDialogPane().getStyleClass().add("edit-confirm");
        ButtonType ok = new ButtonType(yes, ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(ok, ButtonType.CANCEL);
        if (window() != null) {
            a.initOwner(window());
        }
        return a.showAndWait().orElse(ButtonType.CANCEL) == ok;
    }

    private Window window() {
        return owner.getScene() == null ? null : owner.getScene().getWindow();
    }

    /**
     * Asks before the window closes with pending operations. One guard per window: a window that shows another view
     * later (tests reuse their stage) gets this view's guard instead of the earlier one.
     */
    @SuppressWarnings("unchecked")
    private void guardClose(Window w) {
        if (w == null) {
            return;
        }
        Object old = w.getProperties().get(EditActions.class);
        if (old instanceof javafx.event.EventHandler<?> h) {
            w.removeEventHandler(WindowEvent.WINDOW_CLOSE_REQUEST, (javafx.event.EventHandler<WindowEvent>) h);
        }
        javafx.event.EventHandler<WindowEvent> guard = e -> {
            if (!vm.mayClose()) {
                e.consume();
            }
        };
        w.getProperties().put(EditActions.class, guard);
        w.addEventHandler(WindowEvent.WINDOW_CLOSE_REQUEST, guard);
    }
}

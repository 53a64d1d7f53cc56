package io.qcowscope.app.ui.view.edit;

import io.qcowscope.app.ui.view.ClusterMapView;
import io.qcowscope.app.ui.viewmodel.edit.EditViewModel;
import java.io.File;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Guest edits on the guest map: the range (typed like the CLI takes sizes, or Shift+drag on the map), and Write pattern,
 * Write from file, Zero, Zero (unmap), Discard, as buttons and in the map's context menu; each queues an operation.
 */
public final class GuestEditBar extends VBox {
    private final EditViewModel vm;

    public GuestEditBar(EditViewModel vm, ClusterMapView map) {
        this.vm = vm;
        setId("guestEditBar");
        getStyleClass().add("guest-edit-bar");
        TextField offset = new TextField();
        offset.setId("rangeOffset");
        offset.setPrefColumnCount(9);
        offset.textProperty().bindBidirectional(vm.rangeOffsetProperty());
        offset.setTooltip(new Tooltip("First guest byte: 65536, 0x10000, 64k"));
        TextField length = new TextField();
        length.setId("rangeLength");
        length.setPrefColumnCount(6);
        length.textProperty().bindBidirectional(vm.rangeLengthProperty());
        length.setTooltip(new Tooltip("Bytes: 4096, 4k, 1M, 0x1000 (Shift+drag on the map selects clusters)"));
        Label offsetLabel = new Label("Range: offset");
        offsetLabel.setMinWidth(Label.USE_PREF_SIZE);
        Label lengthLabel = new Label("length");
        lengthLabel.setMinWidth(Label.USE_PREF_SIZE);
        Label hint = new Label("Shift+drag on the map selects");
        hint.getStyleClass().add("text-muted");
        hint.setMinWidth(0);
        Button pattern = button("Write pattern...", Feather.EDIT_3, "writePattern", this::pattern);
        Button file = button("Write from file...", Feather.FILE_PLUS, "writeFile", this::file);
        Button zero = button("Zero", Feather.SQUARE, "zero", () -> vm.queueZero(false));
        Button unmap = button("Zero (unmap)", Feather.MINUS_SQUARE, "zeroUnmap", () -> vm.queueZero(true));
        Button discard = button("Discard", Feather.TRASH_2, "discard", vm::queueDiscard);
        HBox range = new HBox(6, offsetLabel, offset, lengthLabel, length, hint);
        range.getStyleClass().add("map-toolbar");
        HBox actions = new HBox(6, pattern, file, zero, unmap, discard);
        actions.getStyleClass().add("map-toolbar");
        Label problem = new Label();
        problem.setId("rangeProblem");
        problem.getStyleClass().add("range-problem");
        problem.textProperty().bind(vm.rangeProblemProperty());
        problem.visibleProperty().bind(vm.rangeProblemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.setWrapText(true);
        getChildren().addAll(range, actions, problem);
        disableProperty().bind(vm.mode().writesAllowedProperty().not().or(vm.runner().runningProperty()));

        map.setOnRangeSelected(vm::selectClusters);
        ContextMenu menu = new ContextMenu(
                item("Write pattern...", Feather.EDIT_3, this::pattern),
                item("Write from file...", Feather.FILE_PLUS, this::file),
                new SeparatorMenuItem(),
                item("Zero", Feather.SQUARE, () -> vm.queueZero(false)),
                item("Zero (unmap)", Feather.MINUS_SQUARE, () -> vm.queueZero(true)),
                item("Discard", Feather.TRASH_2, vm::queueDiscard));
        menu.setId("guestEditMenu");
        map.setOnContextMenuRequested(e -> {
            if (!vm.mode().writesAllowedProperty().get() || vm.runner().runningProperty().get()) {
                return;
            }
            long item = map.itemAtPoint(e.getX(), e.getY());
            if (item >= 0 && !vm.rangeCoversCluster(item)) {
                vm.selectClusters(item, item + map.itemsPerCell() - 1);
            }
            menu.show(map, e.getScreenX(), e.getScreenY());
            e.consume();
        });
    }

    private static Button button(String text, Feather icon, String id, Runnable r) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setMinWidth(Button.USE_PREF_SIZE);
        b.setOnAction(e -> r.run());
        return b;
    }

    private static MenuItem item(String text, Feather icon, Runnable r) {
        MenuItem m = new MenuItem(text, new FontIcon(icon));
        m.setOnAction(e -> r.run());
        return m;
    }

    private void pattern() {
        TextInputDialog d = new TextInputDialog("0xa5");
        d.setTitle("Write pattern");
        d.setHeaderText("Fill " + vm.rangeLengthProperty().get() + " at " + vm.rangeOffsetProperty().get()
                + " with one byte value");
        d.setContentText("Byte (0xa5 or 165):");
        d.getDialogPane().setId("patternDialog");
        if (getScene() != null) {
            d.initOwner(getScene().getWindow());
        }
        d.showAndWait().ifPresent(vm::queuePattern);
    }

    private void file() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Write a file's bytes at " + vm.rangeOffsetProperty().get());
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            vm.queueFile(f.toPath());
        }
    }
}

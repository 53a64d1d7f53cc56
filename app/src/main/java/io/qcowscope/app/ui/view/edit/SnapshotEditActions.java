package io.qcowscope.app.ui.view.edit;

import io.qcowscope.app.ui.viewmodel.edit.EditViewModel;
import io.qcowscope.engine.format.SnapshotEntry;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextInputDialog;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** Create, Delete and Revert to in the Snapshots tab (qemu-img snapshot -c / -d / -a), queued; revert is confirmed. */
public final class SnapshotEditActions {
    private SnapshotEditActions() {
    }

    public static Button[] buttons(EditViewModel vm, ObservableValue<SnapshotEntry> selected) {
        var off = vm.mode().writesAllowedProperty().not().or(vm.runner().runningProperty());
        Button create = new Button("Create...", new FontIcon(Feather.PLUS_CIRCLE));
        create.setId("snapshotCreate");
        create.disableProperty().bind(off);
        create.setOnAction(e -> {
            TextInputDialog d = new TextInputDialog("snapshot-" + (System.currentTimeMillis() / 1000));
            d.setTitle("Create snapshot");
            d.setHeaderText("Queue a new internal snapshot of the disk as it will be when this operation runs");
            d.setContentText("Name:");
            d.getDialogPane().setId("snapshotNameDialog");
            owner(d, create);
            d.showAndWait().ifPresent(vm::queueSnapshotCreate);
        });
        Button delete = new Button("Delete", new FontIcon(Feather.TRASH_2));
        delete.setId("snapshotDelete");
        delete.disableProperty().bind(off.or(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> selected.getValue() == null, selected)));
        delete.setOnAction(e -> vm.queueSnapshotDelete(selected.getValue()));
        Button revert = new Button("Revert to...", new FontIcon(Feather.ROTATE_CCW));
        revert.setId("snapshotRevert");
        revert.disableProperty().bind(delete.disableProperty());
        revert.setOnAction(e -> {
            SnapshotEntry s = selected.getValue();
            Alert a = new Alert(Alert.AlertType.CONFIRMATION);
            a.setTitle("Revert to snapshot");
            a.setHeaderText("Revert the disk to snapshot '" + s.name() + "'?");
            a.setContentText("When applied, the disk's content becomes the snapshot's: what was written since it was "
                    + "taken is lost unless another snapshot holds it (qemu-img snapshot -a). Queue the revert?");
            a.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
            ButtonType queue = new ButtonType("Queue revert", ButtonBar.ButtonData.OK_DONE);
            a.getButtonTypes().setAll(queue, ButtonType.CANCEL);
            owner(a, revert);
            if (a.showAndWait().orElse(ButtonType.CANCEL) == queue) {
                vm.queueSnapshotRevert(s);
            }
        });
        return new Button[]{create, delete, revert};
    }

    private static void owner(javafx.scene.control.Dialog<?> d, javafx.scene.Node n) {
        if (n.getScene() != null) {
            d.initOwner(n.getScene().getWindow());
        }
    }
}

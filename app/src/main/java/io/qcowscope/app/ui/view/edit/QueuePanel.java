package io.qcowscope.app.ui.view.edit;

import io.qcowscope.app.ui.viewmodel.edit.EditViewModel;
import io.qcowscope.app.ui.viewmodel.edit.PendingOperation;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The side panel of pending operations: each with its risk and a remove button, Apply and Undo below, the Apply's progress
 * with Cancel while it runs, and what the last Apply did, one line per operation.
 */
public final class QueuePanel extends BorderPane {
    private final EditViewModel vm;

    public QueuePanel(EditViewModel vm, Runnable apply) {
        this.vm = vm;
        setId("queuePanel");
        getStyleClass().add("queue-panel");
        Label title = new Label("Pending operations", new FontIcon(Feather.LIST));
        title.getStyleClass().add("text-bold");
        Label count = new Label();
        count.textProperty().bind(Bindings.size(vm.queue().items()).asString("%d queued"));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox head = new HBox(6, title, gap, count);

        ListView<PendingOperation> list = new ListView<>(vm.queue().items());
        list.setId("queueList");
        Label empty = new Label();
        empty.setId("queuePlaceholder");
        // open for repair only, guest edits and snapshots cannot be queued: point at the repair instead
        empty.textProperty().bind(Bindings.when(vm.mode().repairOnlyProperty())
                .then("Nothing queued. Plan repair in Findings & Repair, then Queue repair (or Repair like qemu-img).")
                .otherwise("Nothing queued. Select a range in the guest map, or use the Snapshots tab."));
        empty.setWrapText(true);
        list.setPlaceholder(empty);
        list.setCellFactory(v -> new OperationCell());

        Button applyButton = new Button("Apply...", new FontIcon(Feather.PLAY));
        applyButton.setId("applyQueue");
        applyButton.setTooltip(new Tooltip("Write the pending operations (a confirmation lists them first)"));
        applyButton.disableProperty().bind(Bindings.isEmpty(vm.queue().items())
                .or(vm.mode().editingProperty().not()).or(vm.runner().runningProperty()));
        applyButton.setOnAction(e -> apply.run());
        Button undo = new Button("Undo last apply", new FontIcon(Feather.ROTATE_CCW));
        undo.setId("undoApply");
        undo.disableProperty().bind(vm.runner().lastJournalProperty().isNull().or(vm.runner().runningProperty()));
        undo.setOnAction(e -> vm.runner().undoLast());
        HBox buttons = new HBox(6, applyButton, undo);

        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(vm.runner().progressProperty());
        progress.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(progress, Priority.ALWAYS);
        Button cancel = new Button("Cancel", new FontIcon(Feather.X_CIRCLE));
        cancel.setId("cancelApply");
        cancel.setOnAction(e -> vm.runner().cancel());
        HBox running = new HBox(6, progress, cancel);
        running.visibleProperty().bind(vm.runner().runningProperty());
        running.managedProperty().bind(vm.runner().runningProperty());

        Label doneTitle = new Label("Last apply (changed clusters have a corner mark in the maps)");
        doneTitle.getStyleClass().add("text-bold");
        doneTitle.setWrapText(true);
        doneTitle.setMinHeight(Region.USE_PREF_SIZE);
        VBox done = new VBox(2, doneTitle);
        done.setId("lastApply");
        vm.runner().lastSummaries().addListener((ListChangeListener<String>) c -> {
            done.getChildren().setAll(doneTitle);
            for (String s : vm.runner().lastSummaries()) {
                Label l = new Label(s);
                l.setWrapText(true);
                l.setMinHeight(Region.USE_PREF_SIZE);
                l.getStyleClass().add("apply-summary");
                done.getChildren().add(l);
            }
        });
        done.visibleProperty().bind(Bindings.isNotEmpty(vm.runner().lastSummaries()));
        done.managedProperty().bind(done.visibleProperty());
        done.setMinHeight(Region.USE_PREF_SIZE);

        VBox below = new VBox(6, running, buttons, done);
        below.setMinHeight(Region.USE_PREF_SIZE);
        BorderPane.setMargin(list, new javafx.geometry.Insets(6, 0, 6, 0));
        setTop(head);
        setCenter(list);
        setBottom(below);
        setMaxWidth(Region.USE_PREF_SIZE);
    }

    /** A narrow window gives the panel less width (the views keep at least 700 px at 1024). */
    public void setNarrow(boolean narrow) {
        getStyleClass().removeAll("queue-panel-narrow");
        if (narrow) {
            getStyleClass().add("queue-panel-narrow");
        }
    }

    /** One pending operation: title, risk, and a button that removes it from the queue. */
    private final class OperationCell extends ListCell<PendingOperation> {
        /**
         * The row's height at the cell's width: the title's wrapped lines and the badge below them. A graphic-only cell
         * asks its graphic for the height of one unwrapped line, which cut the badge off.
         */
        @Override
        protected double computePrefHeight(double width) {
            javafx.scene.Node row = getGraphic();
            if (row == null || width <= 0) {
                return super.computePrefHeight(width);
            }
            javafx.geometry.Insets in = getInsets();
            return in.getTop() + row.prefHeight(width - in.getLeft() - in.getRight()) + in.getBottom();
        }

        @Override
        protected void updateItem(PendingOperation op, boolean empty) {
            super.updateItem(op, empty);
            if (empty || op == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            Label title = new Label(op.title());
            title.setWrapText(true);
            title.setMinHeight(Region.USE_PREF_SIZE);
            title.setTooltip(new Tooltip(String.join("\n", op.changes())));
            Button remove = new Button(null, new FontIcon(Feather.X));
            remove.getStyleClass().addAll("flat", "remove-operation");
            remove.setTooltip(new Tooltip("Remove from the queue"));
            remove.disableProperty().bind(vm.runner().runningProperty());
            remove.setOnAction(e -> vm.queue().remove(op));
            VBox text = new VBox(2, title, RiskBadge.of(op.risk()));
            HBox.setHgrow(text, Priority.ALWAYS);
            HBox row = new HBox(4, text, remove);
            setText(null);
            setPrefWidth(0); // the cell takes the list's width, so the title wraps and the row grows to fit it
            setGraphic(row);
        }
    }
}

package io.qcowscope.app.ui.viewmodel.edit;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The window's pending operations, in the order they will be applied. Only touched on the FX thread. */
public final class OperationQueue {

    /** What one Apply did: its target, whether in place (then with its undo journal), and each operation's summary. */
    public record ApplyOutcome(Path target, boolean inPlace, Path journal, List<PendingOperation> applied,
                               List<String> summaries) {
    }

    private final ObservableList<PendingOperation> items = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ApplyOutcome> lastOutcome = new ReadOnlyObjectWrapper<>(this, "lastOutcome");

    public ObservableList<PendingOperation> items() {
        return items;
    }

    public void add(PendingOperation op) {
        items.add(op);
    }

    public void remove(PendingOperation op) {
        items.remove(op);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Set by the apply runner after every successful Apply; listeners refresh views and show result cards. */
    public ReadOnlyObjectProperty<ApplyOutcome> lastOutcomeProperty() {
        return lastOutcome.getReadOnlyProperty();
    }

    /** Called by the apply runner only. */
    public void applied(ApplyOutcome outcome) {
        items.removeAll(outcome.applied());
        lastOutcome.set(outcome);
    }
}

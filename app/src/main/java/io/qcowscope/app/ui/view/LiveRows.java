package io.qcowscope.app.ui.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.TableViewSkin;
import javafx.scene.control.skin.VirtualFlow;

/**
 * A table of a view-model's list whose items are replaced in place as work finishes (a scan's figures going from
 * "scanning..." to their values): each row is a slot that takes its item's new value, so only the cells whose text
 * changed are laid out and drawn again. Replacing an item of a TableView's own list rebuilds every row through JavaFX's
 * measuring rows, which are not shown; the pulse after, only their style had changed and JavaFX drew the whole window
 * again (40-80 ms on the software renderer, which the next pulse waited for, twice in each 1 TiB scan). A change in
 * the number of items sets the rows anew.
 */
public final class LiveRows {
    private LiveRows() {
    }

    /**
     * A {@link Columns#table} of slots that follow {@code source}. After values changed in place its columns are measured
     * again, and its rows: a row's height is measured by the table as it lays its rows out, and a cell whose text now
     * wraps onto more lines would otherwise keep the row's old height (its text drawn over the rows beside it).
     */
    public static <T> TableView<ObjectProperty<T>> table(ObservableList<T> source) {
        ObservableList<ObjectProperty<T>> slots = FXCollections.observableArrayList();
        TableView<ObjectProperty<T>> t = Columns.table(slots);
        MeasuringSkin<ObjectProperty<T>> skin = new MeasuringSkin<>(t);
        t.setSkin(skin);
        follow(source, slots, () -> {
            Columns.refit(t);
            skin.measureRows();
        });
        return t;
    }

    /**
     * The table's own skin, whose rows can be measured again without being set up again. A cell takes a slot's new value
     * only as the table lays it out (TableCell reads its value in its own layout), after the table has measured its row:
     * the row would keep its old height. The rows shown have their cells read their values now, so the layout that
     * follows measures them with their new text.
     */
    static final class MeasuringSkin<S> extends TableViewSkin<S> {
        MeasuringSkin(TableView<S> t) {
            super(t);
        }

        /** Has the cells of the rows shown take their values now (the same index: nothing is set up again). */
        void measureRows() {
            VirtualFlow<?> flow = getVirtualFlow();
            for (int i = 0; i < flow.getCellCount(); i++) {
                IndexedCell<?> row = flow.getVisibleCell(i);
                if (row != null) {
                    for (Node n : row.getChildrenUnmodifiable()) {
                        if (n instanceof TableCell<?, ?> cell) {
                            cell.updateIndex(cell.getIndex());
                        }
                    }
                }
            }
        }
    }

    /** Keeps {@code slots} holding {@code source}'s items; {@code changedInPlace} runs after values changed in place. */
    static <T> void follow(ObservableList<T> source, ObservableList<ObjectProperty<T>> slots, Runnable changedInPlace) {
        Runnable sync = () -> {
            if (slots.size() != source.size()) {
                List<ObjectProperty<T>> fresh = new ArrayList<>(source.size());
                for (T item : source) {
                    fresh.add(new SimpleObjectProperty<>(item));
                }
                slots.setAll(fresh);
                return;
            }
            boolean changed = false;
            for (int i = 0; i < source.size(); i++) {
                if (!Objects.equals(slots.get(i).get(), source.get(i))) {
                    slots.get(i).set(source.get(i));
                    changed = true;
                }
            }
            if (changed) {
                changedInPlace.run();
            }
        };
        source.addListener((ListChangeListener<T>) c -> sync.run());
        sync.run();
    }
}

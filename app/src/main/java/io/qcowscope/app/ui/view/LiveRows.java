package io.qcowscope.app.ui.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
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
        follow(source, slots, row -> {
            Columns.refit(t);
            skin.measureRow(row);
        });
        return t;
    }

    /**
     * The table's own skin, whose rows can be measured again without being set up again. A cell takes a slot's new value
     * only as the table lays it out (TableCell reads its value in its own layout), after the table has measured its row:
     * the row would keep its old height. A changed row, if shown, has its cells read their values now, so the layout
     * that follows measures it with its new text.
     */
    static final class MeasuringSkin<S> extends TableViewSkin<S> {
        MeasuringSkin(TableView<S> t) {
            super(t);
        }

        /** Has the cells of row {@code index}, if shown, take their values now (the same index: nothing is set up again). */
        void measureRow(int index) {
            IndexedCell<?> row = getVirtualFlow().getVisibleCell(index);
            if (row != null) {
                for (Node n : row.getChildrenUnmodifiable()) {
                    if (n instanceof TableCell<?, ?> cell) {
                        cell.updateIndex(cell.getIndex());
                    }
                }
            }
        }
    }

    /**
     * Keeps {@code slots} holding {@code source}'s items: the slots of the items a change replaced take their new values
     * ({@code changedInPlace} is told each slot's index), and a change in the number of items sets the slots anew.
     */
    static <T> void follow(ObservableList<T> source, ObservableList<ObjectProperty<T>> slots, IntConsumer changedInPlace) {
        Runnable reset = () -> {
            List<ObjectProperty<T>> fresh = new ArrayList<>(source.size());
            for (T item : source) {
                fresh.add(new SimpleObjectProperty<>(item));
            }
            slots.setAll(fresh);
        };
        source.addListener((ListChangeListener<T>) c -> {
            if (slots.size() != source.size()) {
                reset.run();
                return;
            }
            while (c.next()) {
                for (int i = c.getFrom(); i < c.getTo(); i++) {
                    if (!Objects.equals(slots.get(i).get(), source.get(i))) {
                        slots.get(i).set(source.get(i));
                        changedInPlace.accept(i);
                    }
                }
            }
        });
        reset.run();
    }
}

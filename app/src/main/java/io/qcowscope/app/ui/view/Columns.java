package io.qcowscope.app.ui.view;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** Small helpers for code-built tables. */
final class Columns {
    private Columns() {
    }

    static <T> TableColumn<T, String> text(String title, Function<T, String> f, double width) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue() == null ? "" : f.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setMinWidth(Math.min(width, 70));
        c.setSortable(false);
        return c;
    }

    static <T, V> TableColumn<T, V> object(String title, Function<T, V> f, double width) {
        TableColumn<T, V> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(f.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }

    /** Monospace cells; the header keeps the table's font. */
    static <T> TableColumn<T, String> mono(TableColumn<T, String> c) {
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            {
                setStyle("-fx-font-family: monospace; -fx-font-size: 11px;");
            }

            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
            }
        });
        return c;
    }

    static <T> TableView<T> table(javafx.collections.ObservableList<T> items) {
        TableView<T> t = new TableView<>(items);
        t.getStyleClass().addAll("dense", "bordered");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return t;
    }
}

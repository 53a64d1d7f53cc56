package io.qcowscope.app.ui.view;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * Helpers for code-built tables. Text columns grow to their content (header and the cells shown) and never shrink below
 * it; a cell that is still too narrow shows its full text in a tooltip. Wrapping columns break long text into lines.
 */
final class Columns {
    /** No column grows past this; longer text is elided and shown in a tooltip. */
    static final double MAX_WIDTH = 640;
    private static final Text MEASURE = new Text();

    private Columns() {
    }

    static <T> TableColumn<T, String> text(String title, Function<T, String> f, double width) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue() == null ? "" : f.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setMinWidth(Math.min(width, 40));
        c.setSortable(false);
        c.setCellFactory(col -> new FittingCell<>(false));
        return c;
    }

    /** A text column whose long values wrap onto more lines instead of being elided (messages, paths, meanings). */
    static <T> TableColumn<T, String> wrapping(String title, Function<T, String> f, double width) {
        TableColumn<T, String> c = text(title, f, width);
        c.setCellFactory(col -> new WrappingCell<>());
        return c;
    }

    static <T, V> TableColumn<T, V> object(String title, Function<T, V> f, double width) {
        TableColumn<T, V> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(f.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setMinWidth(width);
        c.setSortable(false);
        return c;
    }

    /** Monospace cells (style class {@code mono-cell}); the header keeps the table's font. */
    static <T> TableColumn<T, String> mono(TableColumn<T, String> c) {
        c.setCellFactory(col -> new FittingCell<>(true));
        return c;
    }

    static <T> TableView<T> table(javafx.collections.ObservableList<T> items) {
        TableView<T> t = new TableView<>(items);
        t.getStyleClass().addAll("dense", "bordered");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return t;
    }

    /** Width of {@code s} in {@code font}, in pixels. */
    static double textWidth(Font font, String s) {
        MEASURE.setFont(font);
        MEASURE.setText(s);
        return Math.ceil(MEASURE.getLayoutBounds().getWidth());
    }

    /** Grows {@code col} so that the header and {@code s} (drawn in {@code font} with {@code pad} around) fit. */
    static void fit(TableColumn<?, ?> col, Font font, String s, double pad) {
        Font bold = Font.font(font.getFamily(), FontWeight.BOLD, font.getSize());
        double header = col.getText() == null || col.getText().isEmpty() ? 0 : textWidth(bold, col.getText()) + 22;
        double need = Math.min(MAX_WIDTH, Math.max(header, s == null ? 0 : textWidth(font, s) + pad));
        if (need > col.getMinWidth()) {
            col.setMinWidth(need);
        }
        if (need > col.getPrefWidth()) {
            col.setPrefWidth(need);
        }
    }

    /** One line of text; grows its column to fit, and shows a tooltip when it is elided all the same. */
    static final class FittingCell<T> extends TableCell<T, String> {
        private final Tooltip tip = new Tooltip();

        FittingCell(boolean mono) {
            if (mono) {
                getStyleClass().add("mono-cell");
            }
        }

        @Override
        protected void updateItem(String s, boolean empty) {
            super.updateItem(s, empty);
            setText(empty ? null : s);
            tip.setText(s);
            if (!empty && s != null && getTableColumn() != null) {
                fit(getTableColumn(), getFont(), s, snappedLeftInset() + snappedRightInset() + 6);
            }
        }

        @Override
        protected void layoutChildren() {
            super.layoutChildren();
            setTooltip(Elision.isElided(this) ? tip : null);
        }
    }

    /** Text that wraps at the column's width; the row grows to hold its lines. */
    static final class WrappingCell<T> extends TableCell<T, String> {
        private final Text text = new Text();

        WrappingCell() {
            text.getStyleClass().add("wrapping-cell-text");
            text.wrappingWidthProperty().bind(widthProperty().subtract(12));
            getStyleClass().add("wrapping-cell");
        }

        @Override
        protected void updateItem(String s, boolean empty) {
            super.updateItem(s, empty);
            setText(null);
            text.setText(empty || s == null ? "" : s);
            text.setFont(getFont());
            setGraphic(empty ? null : text);
            if (!empty && s != null && getTableColumn() != null) {
                // Header and the longest word must fit; the rest wraps.
                String longest = "";
                for (String w : s.split("\\s+")) {
                    longest = w.length() > longest.length() ? w : longest;
                }
                fit(getTableColumn(), getFont(), longest, 14);
            }
        }
    }
}

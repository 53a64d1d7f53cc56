package io.qcowscope.app.ui.view;

import java.util.function.Function;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
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
 * Helpers for code-built tables. Text columns take the width of their header and content, measured from the items
 * once per burst of changes (on the next FX event, so a list filled row by row is measured once); a cell that is still too narrow shows its full
 * text in a tooltip. Wrapping columns break long text into lines and need only their longest word; the width a table
 * has to spare goes to them first, so that a message is on one line where it fits.
 */
public final class Columns {
    /** No column grows past this; longer text is elided and shown in a tooltip. */
    static final double MAX_WIDTH = 640;
    /** Items measured when a table changes: the first and the last ones (offsets grow down a table). */
    static final int MEASURED = 48;
    private static final Object FIT_PENDING = new Object();
    /** The theme's table font (Primer: 14 px) and the app stylesheet's monospace cells (0.93 em). */
    private static final Font CELL_FONT = Font.font(Font.getDefault().getFamily(), 14);
    private static final Font MONO_FONT = Font.font("monospace", 14 * 0.93);
    private static final Font HEADER_FONT = Font.font(Font.getDefault().getFamily(), FontWeight.BOLD, 14);
    /** Cell padding (dense tables) plus room for the text to breathe. */
    private static final double CELL_PAD = 20;
    private static final Text MEASURE = new Text();
    private static final String VALUE = "qcowscope.value";
    private static final String WRAPS = "qcowscope.wraps";
    private static final String OPTIONAL = "qcowscope.optional";
    /** A wrapping column's width for its longest value on one line. */
    private static final String NATURAL = "qcowscope.natural";
    /** Room a table needs besides its columns: the vertical scroll bar and the border. */
    static final double TABLE_CHROME = 20;

    private Columns() {
    }

    public static <T> TableColumn<T, String> text(String title, Function<T, String> f, double width) {
        TableColumn<T, String> c = new TableColumn<>(title);
        Function<T, String> value = t -> t == null ? "" : f.apply(t);
        // A row that is a slot (LiveRows) changes its cells' text in place when it takes a new value.
        c.setCellValueFactory(d -> d.getValue() instanceof Observable slot
                ? Bindings.createStringBinding(() -> value.apply(d.getValue()), slot)
                : new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.getProperties().put(VALUE, value);
        c.setMinWidth(headerWidth(title));
        c.setPrefWidth(Math.max(width, c.getMinWidth()));
        c.setSortable(false);
        c.setCellFactory(col -> new FittingCell<>());
        return c;
    }

    /** A text column whose long values wrap onto more lines instead of being elided (messages, paths, meanings). */
    public static <T> TableColumn<T, String> wrapping(String title, Function<T, String> f, double width) {
        TableColumn<T, String> c = text(title, f, width);
        c.getProperties().put(WRAPS, Boolean.TRUE);
        // A row takes the height of its wrapped lines again when the column's width changes: the cell's text wraps at
        // the column's width (bound), and its new height lays the rows out again. Recreating every cell for it (a
        // refresh) cost the overview's table 20-50 ms of FX thread as a scan's figures arrived.
        c.setCellFactory(col -> new WrappingCell<>());
        return c;
    }

    public static <T, V> TableColumn<T, V> object(String title, Function<T, V> f, double width) {
        TableColumn<T, V> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(f.apply(d.getValue())));
        c.setMinWidth(Math.max(width, headerWidth(title)));
        c.setPrefWidth(c.getMinWidth());
        c.setSortable(false);
        return c;
    }

    /**
     * A column the table hides while it is too narrow for all its columns (what it shows is also shown elsewhere, e.g. a
     * raw entry the decoder shows): rather a column less than a table that scrolls sideways. Lower {@code rank}s go
     * first.
     */
    public static <T, V> TableColumn<T, V> optional(TableColumn<T, V> c, int rank) {
        c.getProperties().put(OPTIONAL, rank);
        return c;
    }

    /** The width {@code t} needs to show every column it shows at all (optional ones too) without scrolling. */
    static double fullWidth(TableView<?> t) {
        return width(t, true);
    }

    /** The width {@code t} needs without its optional columns. */
    static double essentialWidth(TableView<?> t) {
        return width(t, false);
    }

    private static double width(TableView<?> t, boolean withOptional) {
        double w = TABLE_CHROME;
        for (TableColumn<?, ?> c : t.getColumns()) {
            boolean optional = c.getProperties().containsKey(OPTIONAL);
            if (optional ? withOptional : c.isVisible()) {
                w += c.getMinWidth();
            }
        }
        return w;
    }

    /**
     * Keeps the divider of {@code sp} (two items: {@code left}'s pane, then {@code right}'s) where both tables show their
     * columns without scrolling: the right table gets its full width first, the left one what is left up to its full
     * width, never less than its essential width (then the right one hides its optional columns); room to spare goes to
     * the right table.
     */
    static void sideBySide(javafx.scene.control.SplitPane sp, TableView<?> left, TableView<?> right) {
        boolean[] queued = new boolean[1];
        Runnable placeNow = () -> {
            queued[0] = false;
            double w = sp.getWidth();
            if (w <= 0) {
                return;
            }
            // the divider and the panes' padding
            double room = w - 24;
            double l = Math.max(essentialWidth(left), Math.min(fullWidth(left), room - fullWidth(right)));
            sp.setDividerPositions(Math.min(0.8, (l + 8) / w));
        };
        // After the layout pass that changed a width: a divider set during the split pane's own layout is overridden.
        Runnable place = () -> {
            if (!queued[0]) {
                queued[0] = true;
                javafx.application.Platform.runLater(placeNow);
            }
        };
        sp.widthProperty().addListener((o, a, b) -> place.run());
        for (TableView<?> t : java.util.List.of(left, right)) {
            Runnable watch = () -> {
                for (TableColumn<?, ?> col : t.getColumns()) {
                    col.minWidthProperty().addListener((o, a, b) -> place.run());
                    col.visibleProperty().addListener((o, a, b) -> place.run());
                }
                place.run();
            };
            t.getColumns().addListener((javafx.collections.ListChangeListener<TableColumn<?, ?>>) c -> watch.run());
            watch.run();
        }
    }

    /** Monospace cells (style class {@code mono-column}, which the stylesheet applies to cells, not the header). */
    public static <T> TableColumn<T, String> mono(TableColumn<T, String> c) {
        c.getStyleClass().add("mono-column");
        return c;
    }

    /**
     * A table whose columns keep the widths their content needs; the wrapping columns, then the last column, take the width
     * left over. When the content is wider than the table, it scrolls sideways instead of eliding.
     */
    public static <T> TableView<T> table(javafx.collections.ObservableList<T> items) {
        TableView<T> t = new TableView<>(items);
        t.getStyleClass().addAll("dense", "bordered");
        // JavaFX's own "No content in table" is not ours to say (the Overview's tables said it while an image opened).
        t.setPlaceholder(new javafx.scene.control.Label(""));
        t.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        Runnable flex = () -> flexLast(t);
        t.widthProperty().addListener((o, a, b) -> flex.run());
        t.getColumns().addListener((javafx.collections.ListChangeListener<TableColumn<T, ?>>) c -> {
            for (TableColumn<T, ?> col : t.getColumns()) {
                col.widthProperty().addListener((o, a, b) -> flex.run());
                col.visibleProperty().addListener((o, a, b) -> flex.run());
            }
            fitLater(t, flex);
        });
        items.addListener((javafx.collections.ListChangeListener<T>) c -> fitLater(t, flex));
        // A pending fit also runs before the next pulse lays the table out: when the FX thread is busy the runLater can
        // come seconds later, and meanwhile the rows were drawn in header-wide columns ("virtua...", "0x51...").
        Runnable beforeLayout = () -> fitNow(t, flex);
        t.sceneProperty().addListener((o, a, b) -> {
            if (a != null) {
                a.removePreLayoutPulseListener(beforeLayout);
            }
            if (b != null) {
                b.addPreLayoutPulseListener(beforeLayout);
            }
        });
        return t;
    }

    /** Measures {@code t}'s columns again (once for a burst of calls): its rows' values changed in place. */
    static void refit(TableView<?> t) {
        fitLater(t, () -> flexLast(t));
    }

    /** Measures the columns if a fit is pending (once for all the changes since it was asked for). */
    private static <T> void fitNow(TableView<T> t, Runnable flex) {
        if (t.getProperties().remove(FIT_PENDING) != null) {
            fitToItems(t);
            flex.run();
        }
    }

    /**
     * Measures the columns once for a burst of changes (a view-model adding rows one by one, then setting a title):
     * measuring per change kept the FX thread for 0.8 s when the overview's feature list was filled row by row. The fit
     * runs on the next FX event or before the next pulse's layout, whichever comes first.
     */
    private static <T> void fitLater(TableView<T> t, Runnable flex) {
        if (t.getProperties().putIfAbsent(FIT_PENDING, Boolean.TRUE) != null) {
            return;
        }
        javafx.application.Platform.runLater(() -> fitNow(t, flex));
    }

    /** Sets each text column's width to its widest header or value among the first and last items. */
    @SuppressWarnings("unchecked")
    private static <T> void fitToItems(TableView<T> t) {
        java.util.List<T> items = t.getItems();
        int n = items.size();
        for (TableColumn<T, ?> col : t.getColumns()) {
            Function<T, String> value = (Function<T, String>) col.getProperties().get(VALUE);
            if (value == null) {
                continue;
            }
            boolean wraps = col.getProperties().containsKey(WRAPS);
            Font font = col.getStyleClass().contains("mono-column") ? MONO_FONT : CELL_FONT;
            double need = headerWidth(col.getText());
            double natural = need;
            for (int i = 0; i < n; i++) {
                if (i == MEASURED && n > 2 * MEASURED) {
                    i = n - MEASURED;
                }
                String s = value.apply(items.get(i));
                need = Math.max(need, textWidth(font, wraps ? longestWord(s) : s) + CELL_PAD);
                natural = wraps ? Math.max(natural, textWidth(font, s) + CELL_PAD) : natural;
            }
            need = Math.min(MAX_WIDTH, need);
            col.getProperties().put(NATURAL, Math.max(need, natural));
            col.setMinWidth(need);
            col.setPrefWidth(need);
        }
    }

    /** The longest run a wrapping cell cannot break: words, and the parts of a path (a line may break after a '/'). */
    private static String longestWord(String s) {
        String longest = "";
        for (String w : s.split("\\s+|(?<=/)")) {
            longest = w.length() > longest.length() ? w : longest;
        }
        return longest;
    }

    /** For a table not made by {@link #table}: its {@link #optional} columns hide while it is too narrow for them. */
    public static void hideOptionalWhenNarrow(TableView<?> t) {
        t.widthProperty().addListener((o, a, b) -> flexLast(t));
        t.getColumns().addListener((javafx.collections.ListChangeListener<TableColumn<?, ?>>) c -> flexLast(t));
        flexLast(t);
    }

    /**
     * Shows the optional columns the table has room for, hiding the lowest ranks first; then gives the width the columns
     * leave to the wrapping ones (up to their longest value on one line) and the rest to the last visible column.
     */
    private static void flexLast(TableView<?> t) {
        if (t.getWidth() > 0) {
            double need = fullWidth(t);
            java.util.List<TableColumn<?, ?>> cols = new java.util.ArrayList<>(t.getColumns());
            cols.removeIf(c -> !c.getProperties().containsKey(OPTIONAL));
            cols.sort(java.util.Comparator.comparingInt(c -> (Integer) c.getProperties().get(OPTIONAL)));
            for (TableColumn<?, ?> c : cols) {
                boolean show = need <= t.getWidth();
                if (!show) {
                    need -= c.getMinWidth();
                }
                if (c.isVisible() != show) {
                    c.setVisible(show);
                }
            }
        }
        java.util.List<? extends TableColumn<?, ?>> visible = t.getVisibleLeafColumns();
        if (visible.isEmpty() || t.getWidth() <= 0) {
            return;
        }
        double room = t.getWidth() - TABLE_CHROME;
        for (TableColumn<?, ?> c : visible) {
            room -= c.getMinWidth();
        }
        // Spare width goes to the wrapping columns first, left to right, each up to its longest value on one line (a
        // message reads on one line where it fits); what is left goes to the last column.
        java.util.Map<TableColumn<?, ?>, Double> widths = new java.util.HashMap<>();
        for (TableColumn<?, ?> c : visible) {
            double w = c.getMinWidth();
            Object natural = c.getProperties().get(NATURAL);
            if (room > 0 && c.getProperties().containsKey(WRAPS) && natural instanceof Double d && d > w) {
                double give = Math.min(room, d - w);
                w += give;
                room -= give;
            }
            widths.put(c, w);
        }
        TableColumn<?, ?> last = visible.get(visible.size() - 1);
        widths.put(last, widths.get(last) + Math.max(0, room));
        for (TableColumn<?, ?> c : visible) {
            if (c.getPrefWidth() != widths.get(c)) {
                c.setPrefWidth(widths.get(c));
            }
        }
    }

    /**
     * Widths measured lately (FX thread only, bounded): a table's columns are measured again on every change of its items,
     * and a scan's three new figures measured all sixty cells of the overview's table again.
     */
    private static final int WIDTHS_KEPT = 4096;
    private static final java.util.Map<Measured, Double> WIDTHS = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Measured, Double> eldest) {
            return size() > WIDTHS_KEPT;
        }
    };

    private record Measured(Font font, String text) {
    }

    /** Width of {@code s} in {@code font}, in pixels. */
    static double textWidth(Font font, String s) {
        return WIDTHS.computeIfAbsent(new Measured(font, s), m -> {
            MEASURE.setFont(m.font());
            MEASURE.setText(m.text());
            return Math.ceil(MEASURE.getLayoutBounds().getWidth());
        });
    }

    /** The width a header title needs in the theme's bold table header font. */
    static double headerWidth(String title) {
        return title == null || title.isEmpty() ? 24 : textWidth(HEADER_FONT, title) + 24;
    }

    /**
     * One line of text; shows a tooltip when the column is too narrow for it all the same. The tooltip is made when the
     * pointer enters an elided cell, not when the cell is laid out: a Tooltip per cell (a popup window each) made the first
     * CSS pass of a table create dozens, and making one per elided cell at layout still cost the overview's tables 100-200
     * ms of FX CPU once an image opened (their columns are elided until they are fitted to the rows, a runLater later).
     */
    static final class FittingCell<T> extends TableCell<T, String> {
        private Tooltip tip;

        FittingCell() {
            addEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, e -> tooltipIfElided());
        }

        @Override
        protected void updateItem(String s, boolean empty) {
            super.updateItem(s, empty);
            setText(empty ? null : s);
            if (tip != null) {
                tip.setText(s);
            }
        }

        @Override
        protected void layoutChildren() {
            super.layoutChildren();
            if (getTooltip() != null && !Elision.isElided(this)) {
                setTooltip(null);
            }
        }

        /** Installs the tooltip while the text is elided; it shows after the pointer rests, as any tooltip. */
        private void tooltipIfElided() {
            boolean elided = Elision.isElided(this);
            if (elided && tip == null) {
                tip = new Tooltip(getText());
            }
            Tooltip shown = elided ? tip : null;
            if (getTooltip() != shown) {
                setTooltip(shown);
            }
        }
    }

    /** Text that wraps at the column's width; the row grows to hold its lines. */
    static final class WrappingCell<T> extends TableCell<T, String> {
        private final Text text = new Text();

        WrappingCell() {
            text.getStyleClass().add("wrapping-cell-text");
            text.fontProperty().bind(fontProperty());
            getStyleClass().add("wrapping-cell");
        }

        @Override
        protected void updateItem(String s, boolean empty) {
            super.updateItem(s, empty);
            setText(null);
            text.setText(empty || s == null ? "" : s);
            // The column's width is known before the row asks this cell for its height; the cell's own is not.
            if (getTableColumn() != null && !text.wrappingWidthProperty().isBound()) {
                text.wrappingWidthProperty().bind(getTableColumn().widthProperty().subtract(14));
            }
            setGraphic(empty ? null : text);
        }
    }
}

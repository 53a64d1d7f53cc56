package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.render.MapColours;
import io.qcowscope.app.ui.render.MapFrame;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.app.ui.viewmodel.MapModel;
import java.util.function.Supplier;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A cluster map drawn into one {@link WritableImage} from the model's compact code arrays: cells run left to right, top to
 * bottom. Zoomed in, one cell is one item (with its 32 subclusters when they exist and the cell is big enough); zoomed out a
 * cell aggregates a power of two of items and shows their mix as stacked bands, or as the blended colour when the cell is
 * too small for bands. Wheel scrolls, Ctrl+wheel or +/- zooms, 0 shows the whole file, Up/Down and Page keys pan;
 * Left/Right (Shift+Up/Down) move the selection, Enter zooms in on it.
 */
public final class ClusterMapView extends BorderPane {
    private final MapModel model;
    private final Supplier<int[]> palette;
    private final Supplier<int[]> subPalette;
    private final ImageView imageView = new ImageView();
    private final MapRangeOverlay rangeOverlay = new MapRangeOverlay();
    private final Pane canvasPane = new Pane(imageView, rangeOverlay);
    private final ScrollBar scroll = new ScrollBar();
    private final Label info = new Label();
    private final Label zoomLabel = new Label();
    /** Shown over the map until it has items (before the layout scan ends): the frame appears at once, then fills. */
    private final Label waiting = new Label("The map appears when the layout scan ends (progress in the status bar)");
    private final Tooltip tooltip = new Tooltip();
    private int selectionColour = 0xFFFF00FF;
    /** Items a previewed repair changes (sorted), hatched in {@link #markColour}. */
    private long[] marked = new long[0];
    private int markColour = 0xFFFF8C00;

    private long perCell = 1;
    private int cellPx = 8;
    private long firstRow;
    private WritableImage image;
    private final MapPaintLane paints = new MapPaintLane("map", this::painted);
    /** Ids of the last frame asked for (FX thread) and the last one in the image. */
    private volatile long requested;
    private volatile long painted;
    private volatile long lastFrameNanos;
    private boolean dirty;
    private boolean userZoomed;
    private long pendingReveal = -1;
    private java.util.function.BooleanSupplier shownWhen = () -> true;
    private boolean fitPending = true;
    private ObservableValue<Boolean> dark;
    private final boolean logFrames = Boolean.getBoolean("qcowscope.frames");

    private java.util.function.BiConsumer<Long, Long> onRange;

    public ClusterMapView(MapModel model, Supplier<int[]> palette, Supplier<int[]> subPalette,
            ObservableValue<Boolean> dark) {
        this.model = model;
        this.palette = palette;
        this.subPalette = subPalette;
        getStyleClass().add("cluster-map");
        createView();
        initListeners(dark);
    }

    private void createView() {
        scroll.setOrientation(Orientation.VERTICAL);
        canvasPane.setMinSize(50, 50);
        canvasPane.setFocusTraversable(true);
        imageView.setSmooth(false);
        Button in = iconButton(Feather.ZOOM_IN, "Zoom in (+)", () -> zoom(1));
        Button out = iconButton(Feather.ZOOM_OUT, "Zoom out (-)", () -> zoom(-1));
        Button fit = iconButton(Feather.MAXIMIZE, "Whole file (0)", this::fit);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(6, in, out, fit, zoomLabel, spacer);
        bar.getStyleClass().add("map-toolbar");
        info.setWrapText(true);
        info.getStyleClass().add("map-info");
        info.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        setTop(bar);
        waiting.getStyleClass().add("map-waiting");
        waiting.setWrapText(true);
        waiting.setMouseTransparent(true);
        waiting.setVisible(model.itemCount() == 0);
        setCenter(new javafx.scene.layout.StackPane(canvasPane, waiting));
        setRight(scroll);
        setBottom(info);
        tooltip.setShowDelay(javafx.util.Duration.millis(150));
        Tooltip.install(imageView, tooltip);
    }

    private static Button iconButton(Feather icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setFocusTraversable(false);
        return b;
    }

    private void initListeners(ObservableValue<Boolean> dark) {
        this.dark = dark;
        sceneProperty().addListener((o, a, b) -> redraw());
        canvasPane.widthProperty().addListener((o, a, b) -> resized());
        canvasPane.heightProperty().addListener((o, a, b) -> resized());
        model.revision().addListener((o, a, b) -> {
            waiting.setVisible(model.itemCount() == 0);
            fitPending = !userZoomed || model.itemCount() == 0;
            redraw();
        });
        model.selectedItem().addListener((o, a, b) -> {
            reveal(b.longValue());
            redraw();
        });
        dark.addListener((o, a, b) -> redraw());
        scroll.valueProperty().addListener((o, a, b) -> {
            long r = Math.round(b.doubleValue());
            if (r != firstRow) {
                firstRow = r;
                redraw();
            }
        });
        canvasPane.setOnScroll(e -> {
            if (e.isControlDown()) {
                long under = itemAt(e.getX(), e.getY());
                zoom(e.getDeltaY() > 0 ? 1 : -1, under, e.getY());
            } else {
                pan(e.getDeltaY() > 0 ? -3 : 3);
            }
            e.consume();
        });
        canvasPane.setOnMouseMoved(e -> hover(e.getX(), e.getY()));
        canvasPane.setOnMouseClicked(e -> {
            canvasPane.requestFocus();
            long item = itemAt(e.getX(), e.getY());
            if (item < 0) {
                return;
            }
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && perCell > 1) {
                zoom(1, item, e.getY());
            } else if (e.getButton() == MouseButton.PRIMARY) {
                long t0 = System.nanoTime();
                model.select(item);
                if (logFrames) {
                    System.err.printf("select %s item %d: %.1f ms%n", getId(), item, (System.nanoTime() - t0) / 1e6);
                }
            }
        });
        double[] dragY = new double[1];
        long[] rangeStart = {-1};
        canvasPane.setOnMousePressed(e -> {
            dragY[0] = e.getY();
            rangeStart[0] = e.isShiftDown() && onRange != null ? itemAt(e.getX(), e.getY()) : -1;
        });
        canvasPane.setOnMouseReleased(e -> {
            rangeStart[0] = -1;
            rangeOverlay.show(-1, -1, frame(), perCell, columns());
        });
        canvasPane.setOnMouseDragged(e -> {
            if (rangeStart[0] >= 0) {
                // Shift+drag selects a range of items instead of panning
                long at = itemAt(e.getX(), e.getY());
                if (at >= 0) {
                    long lo = Math.min(rangeStart[0], at);
                    long hi = Math.min(model.itemCount() - 1, Math.max(rangeStart[0], at) + perCell - 1);
                    onRange.accept(lo, hi);
                    rangeOverlay.show(lo, hi, frame(), perCell, columns()); // drawn while selecting
                }
                return;
            }
            int rows = (int) ((dragY[0] - e.getY()) / rowPx());
            if (rows != 0) {
                pan(rows);
                dragY[0] = e.getY();
            }
        });
        canvasPane.setOnKeyPressed(e -> {
            KeyCode k = e.getCode();
            switch (k) {
                case PLUS, ADD, EQUALS -> zoom(1);
                case MINUS, SUBTRACT -> zoom(-1);
                case DIGIT0, NUMPAD0, HOME -> fit();
                case LEFT -> step(-perCell);
                case RIGHT -> step(perCell);
                case UP -> {
                    if (e.isShiftDown()) {
                        step(-perCell * columns());
                    } else {
                        pan(-1);
                    }
                }
                case DOWN -> {
                    if (e.isShiftDown()) {
                        step(perCell * columns());
                    } else {
                        pan(1);
                    }
                }
                case ENTER -> {
                    zoom(1);
                    reveal(model.selectedItem().get());
                    redraw();
                }
                case PAGE_UP -> pan(-visibleRows());
                case PAGE_DOWN -> pan(visibleRows());
                default -> {
                    return;
                }
            }
            e.consume();
        });
    }

    private int rowPx() {
        return cellPx;
    }

    private int columns() {
        return Math.max(1, (int) canvasPane.getWidth() / rowPx());
    }

    private int visibleRows() {
        return Math.max(1, (int) canvasPane.getHeight() / rowPx());
    }

    private long totalRows() {
        long cells = (model.itemCount() + perCell - 1) / perCell;
        return (cells + columns() - 1) / columns();
    }

    /** Moves the selection by {@code delta} items (arrow keys; Shift+Up/Down moves a row). */
    private void step(long delta) {
        long cur = model.selectedItem().get();
        long next = cur < 0 ? 0 : Math.max(0, Math.min(model.itemCount() - 1, cur + delta));
        model.select(next);
        reveal(next);
        hover(-1, -1);
        redraw();
    }

    /** Until the user zooms, the map keeps showing the whole file as the view changes size. */
    private void resized() {
        if (!userZoomed) {
            fitPending = true;
        }
        redraw();
    }

    /** Gives the map the keyboard focus, so that its keys work at once. */
    /** Items of the map's context menu for the item under the mouse (none by default). */
    public void setContextItems(java.util.function.LongFunction<java.util.List<javafx.scene.control.MenuItem>> items) {
        javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu();
        canvasPane.setOnContextMenuRequested(e -> {
            long item = itemAt(e.getX(), e.getY());
            if (item >= 0) {
                menu.getItems().setAll(items.apply(item));
                menu.show(canvasPane, e.getScreenX(), e.getScreenY());
            }
            e.consume();
        });
    }

    /** The range a Shift+drag is drawing now, {@code {first, last}} items, or null when no drag is selecting one. */
    public long[] rangeShown() {
        return rangeOverlay.range();
    }

    /** The bands drawing that range (one per visible row), for tests. */
    public int rangeBands() {
        return rangeOverlay.getChildren().size();
    }

    /** Shift+drag then selects the items from the pressed cell to the cell under the mouse (first, last). */
    public void setOnRangeSelected(java.util.function.BiConsumer<Long, Long> r) {
        onRange = r;
    }

    /** The item under a point of the map (the first of its cell), -1 outside the items. */
    public long itemAtPoint(double x, double y) {
        javafx.geometry.Point2D p = canvasPane.sceneToLocal(localToScene(x, y));
        return p == null ? -1 : itemAt(p.getX(), p.getY());
    }

    public void focusMap() {
        canvasPane.requestFocus();
    }

    /** Zooms one step (+1 in, -1 out) around the selection, or the centre of the view when nothing is selected. */
    public void zoom(int dir) {
        long sel = model.selectedItem().get();
        if (sel >= 0 && sel < model.itemCount()) {
            long row = sel / perCell / columns() - firstRow;
            boolean visible = row >= 0 && row < visibleRows();
            zoom(dir, sel, visible ? row * rowPx() + rowPx() / 2.0 : canvasPane.getHeight() / 2);
        } else {
            zoom(dir, (firstRow + visibleRows() / 2) * columns() * perCell, canvasPane.getHeight() / 2);
        }
    }

    /**
     * Zooms one step and keeps {@code anchor} (an item; -1 for the centre of the view) at height {@code y} of the view,
     * so that what the user looks at, the selection or the cell under the mouse, stays where it is.
     */
    public void zoom(int dir, long anchor, double y) {
        info.setText("");
        userZoomed = true;
        long centre = anchor >= 0 ? anchor : (firstRow + visibleRows() / 2) * columns() * perCell;
        if (dir > 0) {
            if (perCell > 1) {
                perCell /= 2;
            } else {
                cellPx = MapFrame.nextCellPx(cellPx, 1);
            }
        } else {
            if (perCell == 1 && cellPx > MapFrame.smallestCellPx()) {
                cellPx = MapFrame.nextCellPx(cellPx, -1);
            } else if (totalRows() > visibleRows()) {
                perCell *= 2;
            }
        }
        long row = centre / Math.max(1, columns() * perCell);
        long maxFirst = Math.max(0, totalRows() - visibleRows());
        firstRow = Math.max(0, Math.min(maxFirst, row - (long) (y / rowPx())));
        redraw();
    }

    /** Shows the whole file: the largest cells that fit it. */
    public void fit() {
        if (canvasPane.getWidth() < 1 || canvasPane.getHeight() < 1) {
            return;
        }
        fitPending = false;
        userZoomed = false;
        firstRow = 0;
        MapFrame f = MapFrame.fit(model.itemCount(), (int) canvasPane.getWidth(), (int) canvasPane.getHeight());
        perCell = f.perCell();
        cellPx = f.cellPx();
        redraw();
    }

    /** Zooms so that single items are visible and scrolls to the item. */
    public void reveal(long item) {
        if (item < 0) {
            return;
        }
        if (canvasPane.getWidth() < 1 || !shown()) {
            pendingReveal = item;
            return;
        }
        long row = item / perCell / columns();
        if (row < firstRow || row >= firstRow + visibleRows()) {
            firstRow = Math.max(0, row - visibleRows() / 2);
        }
    }

    /** Scrolls by {@code rows} rows of cells. */
    public void pan(long rows) {
        firstRow = Math.max(0, Math.min(firstRow + rows, Math.max(0, totalRows() - visibleRows())));
        redraw();
    }

    private long itemAt(double x, double y) {
        int col = (int) (x / rowPx());
        if (col >= columns()) {
            return -1;
        }
        long row = firstRow + (long) (y / rowPx());
        long item = (row * columns() + col) * perCell;
        return item < model.itemCount() ? item : -1;
    }

    private void hover(double x, double y) {
        long item = x < 0 ? model.selectedItem().get() : itemAt(x, y);
        if (item < 0) {
            info.setText("");
            tooltip.setText("");
            return;
        }
        String text = model.describe(item);
        if (perCell > 1) {
            text = mix(item) + "\n" + text;
        }
        info.setText(text);
        tooltip.setText(text);
    }

    private String mix(long first) {
        int n = (int) Math.min(perCell, model.itemCount() - first);
        byte[] b = new byte[n];
        model.fillCodes(first, b, 0, n);
        int[] count = new int[model.codeCount()];
        for (byte c : b) {
            count[c]++;
        }
        StringBuilder s = new StringBuilder("cell of " + Plural.of(n, "cluster") + " from " + first + ":");
        for (int i = 0; i < count.length; i++) {
            if (count[i] > 0) {
                s.append(String.format(" %s %.0f%%", model.codeLabel(i), 100.0 * count[i] / n));
            }
        }
        return s.toString();
    }

    /** Milliseconds the painting thread took for the last frame in the image. */
    public double lastFrameMillis() {
        return lastFrameNanos / 1e6;
    }

    /** Repaints if a repaint was skipped while the map was hidden. */
    public void shownAgain() {
        if (dirty) {
            redraw();
        }
    }

    /** True when the map is on screen, as told by {@link #setShownWhen}. */
    private boolean shown() {
        return getScene() != null && shownWhen.getAsBoolean();
    }

    /** Tells the map when it is on screen (its tab selected); hidden maps skip repaints until shown again. */
    public void setShownWhen(java.util.function.BooleanSupplier s) {
        shownWhen = s;
    }

    /** Repaints the visible cells into the image; a hidden map repaints when it is shown again. */
    public void redraw() {
        int w = (int) canvasPane.getWidth();
        int h = (int) canvasPane.getHeight();
        if (w < 1 || h < 1 || !shown()) {
            dirty = true;
            return;
        }
        dirty = false;
        if (pendingReveal >= 0) {
            long item = pendingReveal;
            pendingReveal = -1;
            if (fitPending && model.itemCount() > 0) {
                fit();
                return;
            }
            reveal(item);
        }
        if (fitPending && model.itemCount() > 0) {
            fit();
            return;
        }
        MapFrame f = frame();
        rangeOverlay.reframe(f, perCell, columns());
        // Sub-cells are drawn one item per cell in cells of 16 px and more (MapPainter): copy the visible ones for the
        // painting thread, since the subcluster cache lives on this thread.
        boolean subcells = f.perCell() == 1 && model.subcellsPerItem() > 1 && f.cellPx() >= 16;
        int visibleItems = f.columns() * (f.height() / f.cellPx() + 1);
        paints.submit(new MapPaintLane.Request(++requested, FrameModel.of(model, f.firstRow() * f.columns(),
                visibleItems, subcells), f, colours(), model.selectedItem().get(), marked, markColour));
        scroll.setMin(0);
        long maxRow = Math.max(0, totalRows() - visibleRows());
        scroll.setMax(maxRow);
        scroll.setVisibleAmount(Math.max(1, Math.min(maxRow, visibleRows())));
        scroll.setValue(firstRow);
        zoomLabel.setText(perCell > 1 ? Plural.of(perCell, "cluster") + " per cell" : cellPx + " px per cluster");
    }

    /** On the FX thread: a frame the painting thread finished goes into the image (a copy, the only work done here). */
    private void painted(MapPaintLane.Painted p) {
        long t0 = System.nanoTime();
        MapFrame f = p.request().frame();
        int w = f.width();
        int h = f.height();
        if (image == null || (int) image.getWidth() != w || (int) image.getHeight() != h) {
            image = new WritableImage(w, h);
            imageView.setImage(image);
        }
        // The image's own layout (premultiplied BGRA bytes, made on the painting thread): a plain copy of the rows.
        image.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getByteBgraPreInstance(), p.bgra(), 0, 4 * w);
        paints.recycle(p);
        lastFrameNanos = p.nanos();
        painted = p.request().id();
        if (logFrames) {
            System.err.printf("frame %s painted %.2f ms off the FX thread, copied %.2f ms on it (%d items, %d per cell,"
                    + " row %d)%n", getId(), p.nanos() / 1e6, (System.nanoTime() - t0) / 1e6, model.itemCount(),
                    f.perCell(), f.firstRow());
        }
    }

    /** True while a frame asked for is not in the image yet (it is being painted off the FX thread). */
    public boolean painting() {
        return painted != requested;
    }

    /** What the map draws. */
    public MapModel model() {
        return model;
    }

    /** The frame on screen now: the view's size, zoom and first row. */
    public MapFrame frame() {
        return new MapFrame(Math.max(1, (int) canvasPane.getWidth()), Math.max(1, (int) canvasPane.getHeight()), cellPx,
                perCell, firstRow);
    }

    /** The colours the map is painted in now (theme, palette, selection accent). */
    public MapColours colours() {
        int bg = Boolean.TRUE.equals(dark.getValue()) ? Palette.darkBackground() : Palette.lightBackground();
        return new MapColours(palette.get(), subPalette.get(), bg, selectionColour);
    }

    /** Items to hatch as a repair preview (sorted ascending; empty for none), in {@code argb}. */
    public void setMarked(long[] items, int argb) {
        marked = items.clone();
        markColour = argb;
        redraw();
    }

    /** The items hatched now. */
    public long[] marked() {
        return marked.clone();
    }

    /** The colour of the selection outline (the theme's accent). */
    public void setSelectionColour(int argb) {
        selectionColour = argb;
    }

    /** Where the cell of {@code item} is drawn, in screen coordinates (for tests and keyboard focus). */
    public javafx.geometry.Point2D cellCentreOnScreen(long item) {
        long cell = item / perCell;
        long row = cell / columns() - firstRow;
        int col = (int) (cell % columns());
        return canvasPane.localToScreen(col * rowPx() + rowPx() / 2.0, row * rowPx() + rowPx() / 2.0);
    }

    /**
     * The colour drawn at the centre of the cell of {@code item}, or 0 when it is not visible. Off the FX thread (tests),
     * first waits up to 10 s for the frame being painted to reach the image.
     */
    public int argbAt(long item) {
        if (!javafx.application.Platform.isFxApplicationThread()) {
            long until = System.nanoTime() + 10_000_000_000L;
            while (painting() && System.nanoTime() < until) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
            }
        }
        long cell = item / perCell;
        long row = cell / columns() - firstRow;
        int col = (int) (cell % columns());
        int x = col * rowPx() + rowPx() / 2;
        int y = (int) (row * rowPx() + rowPx() / 2);
        if (image == null || row < 0 || x >= image.getWidth() || y >= image.getHeight()) {
            return 0;
        }
        return image.getPixelReader().getArgb(x, y);
    }

    /** Cells currently aggregate this many items. */
    public long itemsPerCell() {
        return perCell;
    }

    /** Pixel size of one cell. */
    public int cellPixels() {
        return rowPx();
    }
}

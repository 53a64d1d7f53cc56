package io.qcowscope.app.ui.render;

import io.qcowscope.app.ui.viewmodel.MapModel;
import java.util.Arrays;

/**
 * Paints a cluster map into an ARGB pixel buffer, without a screen: the window's map view and {@code qcowscope render}
 * share it, so a picture is what the window shows. One cell per item (with its 32 subclusters when the model has them and
 * the cell is at least 16 px), or, zoomed out, one cell per {@code perCell} items showing their mix as stacked bands, or
 * the blended colour when the cell is too small for bands. Reads codes in bulk; no object per item.
 */
public final class MapPainter {
    private static final int MAX_CHUNK = 1 << 24;
    private static final int SUBCELLS = 32;

    private byte[] codes = new byte[0];
    private final byte[] sub = new byte[SUBCELLS];

    /** Paints {@code frame} of {@code model} into {@code pixels} (row-major, {@code frame.width()} wide). */
    public void paint(MapModel model, MapFrame frame, MapColours colours, long selected, int[] pixels) {
        paint(model, frame, colours, selected, NO_MARKS, 0, pixels);
    }

    private static final long[] NO_MARKS = new long[0];

    /**
     * The same, with the items of {@code marked} (sorted ascending: what a previewed repair changes) hatched and outlined
     * in {@code markColour}; a zoomed-out cell is marked when any of its items is.
     */
    public void paint(MapModel model, MapFrame frame, MapColours colours, long selected, long[] marked, int markColour,
            int[] pixels) {
        int w = frame.width();
        int h = frame.height();
        Arrays.fill(pixels, 0, w * h, colours.background());
        int px = frame.cellPx();
        int cols = frame.columns();
        long perCell = frame.perCell();
        int rows = h / px + 1;
        long count = model.itemCount();
        long perRow = cols * perCell;
        if (codes.length < Math.min(perRow, MAX_CHUNK)) {
            codes = new byte[(int) Math.min(perRow, MAX_CHUNK)];
        }
        int[] pal = colours.codes();
        int[] hist = new int[model.codeCount()];
        int gap = px >= 8 ? 1 : 0;
        boolean subcells = perCell == 1 && model.subcellsPerItem() == SUBCELLS && px >= 16;
        Canvas c = new Canvas(pixels, w, h);
        long[] changed = model.changedItems();
        for (int r = 0; r < rows; r++) {
            long rowFirst = (frame.firstRow() + r) * perRow;
            if (rowFirst >= count) {
                break;
            }
            int y0 = r * px;
            if (perCell == 1) {
                int len = (int) Math.min(cols, count - rowFirst);
                model.fillCodes(rowFirst, codes, 0, len);
                for (int col = 0; col < len; col++) {
                    long item = rowFirst + col;
                    if (subcells && model.fillSubcells(item, sub)) {
                        drawSubcells(c, col * px, y0, px, colours.subcells());
                    } else {
                        c.fill(col * px, y0, px - gap, px - gap, pal[codes[col]]);
                    }
                    if (marked.length > 0 && Arrays.binarySearch(marked, item) >= 0) {
                        hatch(c, col * px, y0, px, markColour);
                    }
                    if (item == selected) {
                        outline(c, col * px, y0, px, colours.selection());
                    }
                    if (changed.length > 0 && anyIn(changed, item, item + 1)) {
                        corner(c, col * px, y0, px, colours.selection());
                    }
                }
            } else {
                for (int col = 0; col < cols; col++) {
                    long first = rowFirst + col * perCell;
                    if (first >= count) {
                        break;
                    }
                    int n = (int) Math.min(perCell, count - first);
                    histogram(model, first, n, hist);
                    drawBands(c, col * px, y0, px, hist, n, pal);
                    if (marked.length > 0 && anyIn(marked, first, first + n)) {
                        hatch(c, col * px, y0, px, markColour);
                    }
                    if (selected >= first && selected < first + n) {
                        outline(c, col * px, y0, px, colours.selection());
                    }
                    if (changed.length > 0 && anyIn(changed, first, first + n)) {
                        corner(c, col * px, y0, px, colours.selection());
                    }
                }
            }
        }
    }

    /** Counts the codes of items {@code [first, first + n)}, reading at most {@link #MAX_CHUNK} at a time. */
    private void histogram(MapModel model, long first, int n, int[] hist) {
        Arrays.fill(hist, 0);
        int done = 0;
        while (done < n) {
            int len = Math.min(n - done, codes.length);
            model.fillCodes(first + done, codes, 0, len);
            for (int i = 0; i < len; i++) {
                hist[codes[i]]++;
            }
            done += len;
        }
    }

    private static void drawBands(Canvas c, int x, int y, int px, int[] hist, int n, int[] pal) {
        if (px < 4) {
            c.fill(x, y, px, px, blend(hist, n, pal));
            return;
        }
        int yy = y;
        int acc = 0;
        for (int i = 0; i < hist.length; i++) {
            if (hist[i] == 0) {
                continue;
            }
            acc += hist[i];
            int yEnd = y + (int) Math.round((double) acc * px / n);
            if (yEnd == yy) {
                yEnd = Math.min(y + px, yy + 1);
            }
            c.fill(x, yy, px, yEnd - yy, pal[i]);
            yy = yEnd;
        }
    }

    private static int blend(int[] hist, int n, int[] pal) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int i = 0; i < hist.length; i++) {
            r += (long) hist[i] * ((pal[i] >> 16) & 0xFF);
            g += (long) hist[i] * ((pal[i] >> 8) & 0xFF);
            b += (long) hist[i] * (pal[i] & 0xFF);
        }
        return 0xFF000000 | (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n);
    }

    /** The 32 subclusters of one cluster as 8 x 4 small cells (spec 3.5: bit i of the bitmaps is subcluster i). */
    private void drawSubcells(Canvas c, int x, int y, int px, int[] subPal) {
        int inner = px - 2;
        int gap = px >= 32 ? 1 : 0;
        for (int i = 0; i < SUBCELLS; i++) {
            int col = i % 8;
            int row = i / 8;
            int sx = x + col * inner / 8;
            int sy = y + row * inner / 4;
            int ex = x + (col + 1) * inner / 8;
            int ey = y + (row + 1) * inner / 4;
            c.fill(sx, sy, Math.max(1, ex - sx - gap), Math.max(1, ey - sy - gap), subPal[sub[i]]);
        }
    }

    /** Whether a sorted array holds a value in {@code [from, to)}. */
    private static boolean anyIn(long[] sorted, long from, long to) {
        int i = Arrays.binarySearch(sorted, from);
        int at = i >= 0 ? i : -i - 1;
        return at < sorted.length && sorted[at] < to;
    }

    /** A preview mark: diagonal hatching over the cell and a dashed outline, so the cell's own colour still shows. */
    private static void hatch(Canvas c, int x, int y, int px, int argb) {
        if (px < 4) {
            c.fill(x, y, px, px, argb);
            return;
        }
        for (int d = 0; d < px; d++) {
            for (int col = 0; col < px; col++) {
                if ((col + d) % 6 == 0) {
                    c.fill(x + col, y + d, 1, 1, argb);
                }
            }
        }
        for (int i = 0; i < px; i += 4) {
            c.fill(x + i, y, 2, 2, argb);
            c.fill(x + i, y + px - 2, 2, 2, argb);
            c.fill(x, y + i, 2, 2, argb);
            c.fill(x + px - 2, y + i, 2, 2, argb);
        }
    }

    /** The mark of a cell the last Apply changed: a square in its top-left corner, framed in the background colour. */
    private static void corner(Canvas c, int x, int y, int px, int argb) {
        int s = Math.max(3, px / 3);
        c.fill(x, y, s + 1, s + 1, 0xFF000000);
        c.fill(x, y, s, s, argb);
    }

    private static void outline(Canvas c, int x, int y, int px, int argb) {
        c.fill(x, y, px, 2, argb);
        c.fill(x, y + px - 2, px, 2, argb);
        c.fill(x, y, 2, px, argb);
        c.fill(x + px - 2, y, 2, px, argb);
    }

    /** A pixel buffer that clips every rectangle to its bounds. */
    private record Canvas(int[] pixels, int w, int h) {
        void fill(int x, int y, int fw, int fh, int argb) {
            int x0 = Math.max(0, x);
            int x1 = Math.min(w, x + fw);
            int y1 = Math.min(h, y + fh);
            for (int yy = Math.max(0, y); yy < y1; yy++) {
                Arrays.fill(pixels, yy * w + x0, Math.max(yy * w + x0, yy * w + x1), argb);
            }
        }
    }
}

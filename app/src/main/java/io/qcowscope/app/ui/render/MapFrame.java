package io.qcowscope.app.ui.render;

/**
 * Which part of a cluster map a picture shows and how: cells of {@code cellPx} pixels run left to right, top to bottom,
 * each standing for {@code perCell} items (a power of two), starting at row {@code firstRow}.
 */
public record MapFrame(int width, int height, int cellPx, long perCell, long firstRow) {
    /** The cell sizes a map zooms through, in pixels. */
    static final int[] ZOOM_PX = {4, 6, 8, 12, 16, 24, 32, 48, 64};
    /** The cell size once cells aggregate several items. */
    static final int AGG_PX = 4;

    public MapFrame {
        if (width < 1 || height < 1 || cellPx < 1 || perCell < 1 || firstRow < 0) {
            throw new IllegalArgumentException("bad map frame " + width + "x" + height + ", cell " + cellPx + " px, "
                    + perCell + " per cell, row " + firstRow);
        }
    }

    public int columns() {
        return Math.max(1, width / cellPx);
    }

    public int visibleRows() {
        return Math.max(1, height / cellPx);
    }

    /** Rows of cells the whole map of {@code items} takes at this zoom. */
    public long totalRows(long items) {
        long cells = (items + perCell - 1) / perCell;
        return (cells + columns() - 1) / columns();
    }

    public MapFrame withHeight(int h) {
        return new MapFrame(width, h, cellPx, perCell, firstRow);
    }

    /** The next zoom step's cell size from {@code px}: +1 bigger, -1 smaller, clamped to the steps. */
    public static int nextCellPx(int px, int dir) {
        for (int i = 0; i < ZOOM_PX.length; i++) {
            if (ZOOM_PX[i] == px) {
                return ZOOM_PX[Math.max(0, Math.min(ZOOM_PX.length - 1, i + dir))];
            }
        }
        return ZOOM_PX[0];
    }

    public static int smallestCellPx() {
        return ZOOM_PX[0];
    }

    /** The largest cells that show all {@code items} in {@code width x height}, aggregating when single items don't fit. */
    public static MapFrame fit(long items, int width, int height) {
        int px = ZOOM_PX[ZOOM_PX.length - 1];
        MapFrame f = new MapFrame(width, height, px, 1, 0);
        while (f.totalRows(items) > f.visibleRows() && px > ZOOM_PX[0]) {
            px = nextCellPx(px, -1);
            f = new MapFrame(width, height, px, 1, 0);
        }
        long per = 1;
        while (f.totalRows(items) > f.visibleRows()) {
            per *= 2;
            f = new MapFrame(width, height, AGG_PX, per, 0);
        }
        // Grow the cells while the whole file still fits, so that it fills the picture.
        while (per > 1 && f.cellPx() < ZOOM_PX[ZOOM_PX.length - 1]) {
            MapFrame bigger = new MapFrame(width, height, nextCellPx(f.cellPx(), 1), per, 0);
            if (bigger.totalRows(items) > bigger.visibleRows()) {
                break;
            }
            f = bigger;
        }
        return f;
    }
}

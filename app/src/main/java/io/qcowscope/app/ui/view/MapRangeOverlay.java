package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.render.MapFrame;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Rectangle;

/**
 * The range a Shift+drag is selecting on a cluster map, drawn over the map's image while the drag goes on: one band per
 * visible row of the cells from the first item to the last (CSS class {@code map-range}). Mouse-transparent; only the
 * visible rows are drawn, so a range over a whole 1 TiB disk costs a screenful of rectangles.
 */
final class MapRangeOverlay extends Pane {
    private long first = -1;
    private long last = -1;

    MapRangeOverlay() {
        getStyleClass().add("map-range-overlay");
        setMouseTransparent(true);
        setManaged(false);
    }

    /** Shows the items {@code first..last} (inclusive) in the frame given; {@code first < 0} hides the range. */
    void show(long first, long last, MapFrame f, long perCell, int columns) {
        this.first = first;
        this.last = last;
        getChildren().clear();
        if (first < 0 || last < first) {
            this.first = -1;
            this.last = -1;
            return;
        }
        long c0 = first / perCell;
        long c1 = last / perCell;
        int px = f.cellPx();
        long topRow = f.firstRow();
        long rows = f.height() / px + 1;
        long r0 = Math.max(c0 / columns, topRow);
        long r1 = Math.min(c1 / columns, topRow + rows);
        for (long r = r0; r <= r1; r++) {
            long from = r == c0 / columns ? c0 % columns : 0;
            long to = r == c1 / columns ? c1 % columns : columns - 1;
            Rectangle band = new Rectangle(from * px, (r - topRow) * px, (to - from + 1) * px, px);
            band.getStyleClass().add("map-range");
            getChildren().add(band);
        }
    }

    /** The range drawn, {@code {first, last}}, or null when none is. */
    long[] range() {
        return first < 0 ? null : new long[]{first, last};
    }

    /** Redraws the range drawn in a new frame (after a pan, zoom or resize). */
    void reframe(MapFrame f, long perCell, int columns) {
        if (first >= 0) {
            show(first, last, f, perCell, columns);
        }
    }
}

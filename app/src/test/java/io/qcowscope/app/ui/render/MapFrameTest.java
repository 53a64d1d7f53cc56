package io.qcowscope.app.ui.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Fitting a map into a picture: the whole map shows, with the largest cells that allow it. */
class MapFrameTest {
    @Test
    void fitShowsAllItemsWithTheLargestCells() {
        MapFrame few = MapFrame.fit(29, 1024, 640);
        assertEquals(64, few.cellPx());
        assertEquals(1, few.perCell());
        // 1 TiB of 64 KiB clusters: aggregated, a power of two per cell, the whole file within the picture.
        long tib = 1L << 24;
        MapFrame big = MapFrame.fit(tib, 1024, 640);
        assertTrue(Long.bitCount(big.perCell()) == 1 && big.perCell() > 1, "" + big);
        assertTrue(big.totalRows(tib) <= big.visibleRows(), "" + big);
        MapFrame halfAsMany = new MapFrame(1024, 640, big.cellPx(), big.perCell() / 2, 0);
        assertTrue(halfAsMany.totalRows(tib) > halfAsMany.visibleRows(), "no finer aggregation fits");
    }

    @Test
    void wholePictureHeightFollowsTheRows() {
        MapFrame f = MapPicture.whole(1000, 800, 8, 1);
        assertEquals(100, f.columns());
        assertEquals(10 * 8, f.height());
        MapFrame capped = MapPicture.fitWidth(1L << 24, 256, 4, 1, 2048);
        assertEquals(2048, capped.height());
        assertTrue(capped.totalRows(1L << 24) * 4 <= 2048);
    }
}

package io.qcowscope.app.ui.render;

import io.qcowscope.app.ui.viewmodel.MapModel;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The whole of a cluster map at one zoom as a PNG: painted by {@link MapPainter} band by band (at most
 * {@link #BAND_PIXELS} pixels in memory), so both the window's export and {@code qcowscope render} produce exactly what
 * the map view draws at that zoom, for any length of file.
 */
public final class MapPicture {
    /** The tallest picture written; beyond it, zoom out (more clusters per cell). */
    public static final int MAX_HEIGHT = 1 << 15;
    private static final int BAND_PIXELS = 1 << 22;

    private MapPicture() {
    }

    /** The height in pixels of the whole map of {@code items} at the frame's width and zoom, from its first row. */
    public static long heightOf(long items, MapFrame zoom) {
        return Math.max(1, (zoom.totalRows(items) - zoom.firstRow()) * zoom.cellPx());
    }

    /** The frame showing the whole map at the given width, cell size and items per cell. */
    public static MapFrame whole(long items, int width, int cellPx, long perCell) {
        MapFrame z = new MapFrame(width, 1, cellPx, perCell, 0);
        long h = heightOf(items, z);
        if (h > MAX_HEIGHT) {
            throw new IllegalArgumentException("the picture would be " + h + " px tall (at most " + MAX_HEIGHT
                    + "): show more clusters per cell or make it wider");
        }
        return z.withHeight((int) h);
    }

    /**
     * The frame for a picture {@code width} wide: {@code cellPx} pixel cells, doubling the clusters per cell from
     * {@code minPerCell} until the whole map is at most {@code maxHeight} tall.
     */
    public static MapFrame fitWidth(long items, int width, int cellPx, long minPerCell, int maxHeight) {
        long per = minPerCell;
        MapFrame z = new MapFrame(width, 1, cellPx, per, 0);
        while (heightOf(items, z) > maxHeight && per < (1L << 40)) {
            per *= 2;
            z = new MapFrame(width, 1, cellPx, per, 0);
        }
        return z.withHeight((int) Math.min(maxHeight, heightOf(items, z)));
    }

    /** Paints {@code frame} of {@code model} and writes it to {@code out} as a PNG; nothing is selected. */
    public static void write(MapModel model, MapFrame frame, MapColours colours, OutputStream out) throws IOException {
        write(model, frame, colours, -1, out);
    }

    /** Paints {@code frame} of {@code model}, item {@code selected} outlined (-1: none), as a PNG to {@code out}. */
    public static void write(MapModel model, MapFrame frame, MapColours colours, long selected, OutputStream out)
            throws IOException {
        int w = frame.width();
        int bandRows = Math.max(1, BAND_PIXELS / w / frame.cellPx());
        int bandPx = bandRows * frame.cellPx();
        int[] pixels = new int[w * Math.min(bandPx, frame.height())];
        MapPainter painter = new MapPainter();
        try (PngWriter png = new PngWriter(out, w, frame.height())) {
            for (int y = 0; y < frame.height(); y += bandPx) {
                int h = Math.min(bandPx, frame.height() - y);
                MapFrame band = new MapFrame(w, h, frame.cellPx(), frame.perCell(),
                        frame.firstRow() + y / frame.cellPx());
                painter.paint(model, band, colours, selected, pixels);
                png.writeRows(pixels, h);
            }
        }
    }
}

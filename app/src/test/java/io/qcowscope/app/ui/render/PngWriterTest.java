package io.qcowscope.app.ui.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The PNG writer, read back by ImageIO: every pixel, whatever the bands it was written in. */
class PngWriterTest {
    @Test
    void noiseWrittenInUnevenBandsReadsBackPixelForPixel() throws Exception {
        int w = 301;
        int h = 499;
        int[] argb = new int[w * h];
        Random r = new Random(12);
        for (int i = 0; i < argb.length; i++) {
            argb[i] = 0xFF000000 | r.nextInt(1 << 24);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PngWriter png = new PngWriter(out, w, h)) {
            // Incompressible noise: the IDAT stream spans many 64 KiB chunks.
            for (int y = 0, band = 1; y < h; y += band, band = band * 2 + 1) {
                int rows = Math.min(band, h - y);
                png.writeRows(Arrays.copyOfRange(argb, y * w, (y + rows) * w), rows);
            }
        }
        BufferedImage pic = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(w, pic.getWidth());
        assertEquals(h, pic.getHeight());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(argb[y * w + x], pic.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void missingOrExtraRowsAreRefused() throws Exception {
        PngWriter short1 = new PngWriter(new ByteArrayOutputStream(), 4, 3);
        short1.writeRows(new int[8], 2);
        assertThrows(IllegalStateException.class, short1::close);
        try (PngWriter png = new PngWriter(new ByteArrayOutputStream(), 4, 1)) {
            assertThrows(IllegalStateException.class, () -> png.writeRows(new int[8], 2));
            png.writeRows(new int[4], 1);
        }
        assertThrows(IllegalArgumentException.class, () -> new PngWriter(new ByteArrayOutputStream(), 0, 5));
    }
}

package io.qcowscope.app.ui.render;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes an opaque picture as a PNG (truecolour, 8 bits per channel), row band by row band, so a tall map never has to
 * be in memory at once. JDK {@link Deflater} and {@link CRC32} only: works without a display. The IDAT stream is split
 * into chunks of at most {@link #CHUNK} bytes as it is produced (PNG spec 11.2.4: consecutive IDAT chunks concatenate).
 */
public final class PngWriter implements AutoCloseable {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int CHUNK = 1 << 16;
    private static final int COLOUR_TYPE_RGB = 2;

    private final DataOutputStream out;
    private final int width;
    private final int height;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    private final byte[] row;
    private final byte[] buffer = new byte[CHUNK];
    private int rowsWritten;

    public PngWriter(OutputStream out, int width, int height) throws IOException {
        if (width < 1 || height < 1 || (long) width * 3 + 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad picture size " + width + "x" + height);
        }
        this.out = new DataOutputStream(out);
        this.width = width;
        this.height = height;
        this.row = new byte[1 + 3 * width];
        this.out.write(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8;
        ihdr[9] = COLOUR_TYPE_RGB;
        chunk("IHDR", ihdr, ihdr.length);
    }

    /** Appends {@code rows} rows of ARGB pixels (alpha ignored), {@code width} per row, from {@code argb[0..]}. */
    public void writeRows(int[] argb, int rows) throws IOException {
        if (rowsWritten + rows > height) {
            throw new IllegalStateException("more rows than the picture's height " + height);
        }
        for (int r = 0; r < rows; r++) {
            row[0] = 0; // filter type None
            int base = r * width;
            for (int x = 0, o = 1; x < width; x++) {
                int p = argb[base + x];
                row[o++] = (byte) (p >> 16);
                row[o++] = (byte) (p >> 8);
                row[o++] = (byte) p;
            }
            deflater.setInput(row);
            drain(false);
        }
        rowsWritten += rows;
    }

    /** Ends the picture; every row must have been written. */
    @Override
    public void close() throws IOException {
        try {
            if (rowsWritten != height) {
                throw new IllegalStateException("picture has " + rowsWritten + " of " + height + " rows");
            }
            deflater.finish();
            drain(true);
            chunk("IEND", new byte[0], 0);
            out.flush();
        } finally {
            deflater.end();
        }
    }

    private void drain(boolean finishing) throws IOException {
        while (finishing ? !deflater.finished() : !deflater.needsInput()) {
            int n = deflater.deflate(buffer);
            if (n > 0) {
                chunk("IDAT", buffer, n);
            }
        }
    }

    private void chunk(String type, byte[] data, int len) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, 0, len);
        out.writeInt(len);
        out.write(t);
        out.write(data, 0, len);
        out.writeInt((int) crc.getValue());
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}

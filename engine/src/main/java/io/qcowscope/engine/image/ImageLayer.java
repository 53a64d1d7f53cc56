package io.qcowscope.engine.image;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One layer of a backing chain: a qcow2 image or a raw file. */
public interface ImageLayer extends Closeable {

    /** The file name as the user gave it or as the parent image resolved it. */
    String filename();

    /** "qcow2" or "raw". */
    String formatName();

    /** Guest size in bytes. */
    long virtualSize();

    /** Guest bytes through this layer and its backing chain; the range must lie inside the virtual size. */
    void read(long offset, byte[] dst, int dstOffset, int length) throws IOException;

    /**
     * As {@link #read(long, byte[], int, int)} into {@code dst} from its position to its limit (the position ends at the
     * limit); a direct buffer is read into straight from the files where the layer can (a copy-on-write region).
     */
    default void read(long offset, ByteBuffer dst) throws IOException {
        int n = dst.remaining();
        if (dst.hasArray()) {
            read(offset, dst.array(), dst.arrayOffset() + dst.position(), n);
            dst.position(dst.limit());
        } else {
            byte[] b = new byte[n];
            read(offset, b, 0, n);
            dst.put(b);
        }
    }

    /** Status of the range starting at {@code offset}, as QEMU's bdrv_block_status for this layer alone. */
    BlockStatus blockStatus(long offset, long bytes) throws IOException;

    /** The opened backing layer, or null when there is none or it was not opened. */
    ImageLayer backing();
}

package io.qcowscope.engine.image;

import java.io.Closeable;
import java.io.IOException;

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

    /** Status of the range starting at {@code offset}, as QEMU's bdrv_block_status for this layer alone. */
    BlockStatus blockStatus(long offset, long bytes) throws IOException;

    /** The opened backing layer, or null when there is none or it was not opened. */
    ImageLayer backing();
}

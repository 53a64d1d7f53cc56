package io.qcowscope.engine.image;

import io.qcowscope.engine.format.SubclusterType;

/**
 * What one layer of a chain says about a guest range, with the meaning of QEMU's block-status flags (spec 6.1).
 *
 * @param length     bytes from the queried offset that share this status (at least 1 unless {@code eof})
 * @param data       bytes come from stored data
 * @param zero       bytes read as zeros
 * @param allocated  this layer decides the content (QEMU's BDRV_BLOCK_ALLOCATED); false means "ask the backing file"
 * @param hostOffset offset in the layer's file, or -1 when not directly addressable
 * @param type       the qcow2 subcluster type behind the answer, or null for a raw layer
 * @param eof        the queried offset is at or past the end of the layer
 */
public record BlockStatus(long length, boolean data, boolean zero, boolean allocated, long hostOffset,
        SubclusterType type, boolean eof) {

    public boolean hasHostOffset() {
        return hostOffset >= 0;
    }

    public static BlockStatus pastEnd() {
        return new BlockStatus(0, false, false, false, -1, null, true);
    }
}

package io.qcowscope.engine.image;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A layer for one pass over the guest in increasing order ({@code qemu-img map}'s walk): a qcow2 image's block status
 * then reads its L2 tables ahead ({@link ReadAheadL2Source}); any other layer is used as it is. Closing the scan ends the
 * read-ahead and leaves the layer open. Answers are the layer's own, byte for byte.
 */
public final class ScanLayer implements ImageLayer {
    private final ImageLayer layer;
    private final Qcow2Image qcow2;
    private final ReadAheadL2Source source;
    private final io.qcowscope.engine.mapping.GuestResolver resolver;

    private ScanLayer(ImageLayer layer, long guestStart) {
        this.layer = layer;
        if (layer instanceof Qcow2Image q) {
            this.qcow2 = q;
            this.source = new ReadAheadL2Source(q, guestStart);
            this.resolver = q.resolverOver(source);
        } else {
            this.qcow2 = null;
            this.source = null;
            this.resolver = null;
        }
    }

    /** {@code layer} for a pass from guest offset {@code guestStart} on. */
    public static ScanLayer of(ImageLayer layer, long guestStart) {
        return new ScanLayer(layer, guestStart);
    }

    @Override
    public String filename() {
        return layer.filename();
    }

    @Override
    public String formatName() {
        return layer.formatName();
    }

    @Override
    public long virtualSize() {
        return layer.virtualSize();
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        layer.read(offset, dst, dstOffset, length);
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        layer.read(offset, dst);
    }

    @Override
    public BlockStatus blockStatus(long offset, long bytes) throws IOException {
        return qcow2 == null ? layer.blockStatus(offset, bytes) : qcow2.blockStatus(resolver, offset, bytes);
    }

    @Override
    public ImageLayer backing() {
        return layer.backing();
    }

    /** Ends the read-ahead; the layer stays open. */
    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
    }
}

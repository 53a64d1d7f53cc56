package io.qcowscope.engine.image;

import io.qcowscope.engine.storage.Storage;
import java.io.IOException;

/** A raw file used as a backing layer: guest offset = file offset; the size rounds up to 512 bytes as in QEMU. */
public final class RawImage implements ImageLayer {
    private final Storage storage;
    private final String filename;
    private final long virtualSize;

    public RawImage(Storage storage, String filename) throws IOException {
        this.storage = storage;
        this.filename = filename;
        long size = storage.size();
        this.virtualSize = (size + 511) & ~511L;
    }

    public Storage storage() {
        return storage;
    }

    @Override
    public String filename() {
        return filename;
    }

    @Override
    public String formatName() {
        return "raw";
    }

    @Override
    public long virtualSize() {
        return virtualSize;
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        storage.read(offset, dst, dstOffset, length);
    }

    @Override
    public BlockStatus blockStatus(long offset, long bytes) throws IOException {
        if (offset >= virtualSize) {
            return BlockStatus.pastEnd();
        }
        long fileSize = storage.size();
        if (offset >= fileSize) {
            // The padding up to the next 512 bytes reads as zeros.
            return new BlockStatus(virtualSize - offset, false, true, true, offset, null, true);
        }
        return HostFileStatus.of(storage, offset, Math.min(bytes, virtualSize - offset));
    }

    @Override
    public ImageLayer backing() {
        return null;
    }

    @Override
    public void close() throws IOException {
        storage.close();
    }
}

package io.qcowscope.engine.image;

import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.storage.ZeroFill;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A raw file used as a backing layer: guest offset = file offset; the size rounds up to 512 bytes as in QEMU. */
public final class RawImage implements ImageLayer {
    /** Reads at least this long skip the file's holes (one lseek pair instead of copying zeros). */
    private static final int SPARSE_READ_BYTES = 64 << 10;
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
        read(offset, ByteBuffer.wrap(dst, dstOffset, length));
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        int at = dst.position();
        dst.position(dst.limit());
        if (length < SPARSE_READ_BYTES) {
            storage.read(offset, dst.slice(at, length));
            return;
        }
        // SEEK_DATA/SEEK_HOLE: holes are zero-filled here, not read (a COW copy from a sparse backing file)
        long end = offset + length;
        long pos = offset;
        while (pos < end) {
            int i = at + (int) (pos - offset);
            long data = storage.nextData(pos);
            if (data >= 0 && data < pos) {
                storage.read(pos, dst.slice(i, (int) (end - pos))); // a storage that cannot tell
                return;
            }
            if (data < 0 || data >= end) {
                ZeroFill.fill(dst, i, at + length);
                return;
            }
            ZeroFill.fill(dst, i, at + (int) (data - offset));
            long hole = storage.nextHole(data);
            long stop = hole <= data ? end : Math.min(end, hole);
            storage.read(data, dst.slice(at + (int) (data - offset), (int) (stop - data)));
            pos = stop;
        }
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

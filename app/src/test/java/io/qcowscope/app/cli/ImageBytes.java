package io.qcowscope.app.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads and byte-patches big-endian fields of an image file: how the tests damage qemu-made copies. */
final class ImageBytes {
    private final Path file;

    ImageBytes(Path file) {
        this.file = file;
    }

    long u64(long offset) throws IOException {
        return read(offset, 8).getLong(0);
    }

    long u32(long offset) throws IOException {
        return read(offset, 4).getInt(0) & 0xFFFFFFFFL;
    }

    void u64(long offset, long value) throws IOException {
        write(offset, ByteBuffer.allocate(8).putLong(0, value));
    }

    void u32(long offset, long value) throws IOException {
        write(offset, ByteBuffer.allocate(4).putInt(0, (int) value));
    }

    void u16(long offset, int value) throws IOException {
        write(offset, ByteBuffer.allocate(2).putShort(0, (short) value));
    }

    void u8(long offset, int value) throws IOException {
        write(offset, ByteBuffer.allocate(1).put(0, (byte) value));
    }

    long l1Offset() throws IOException {
        return u64(40);
    }

    long l1(int i) throws IOException {
        return u64(l1Offset() + 8L * i);
    }

    long l2Table(int l1Index) throws IOException {
        return l1(l1Index) & 0x00FFFFFFFFFFFE00L;
    }

    long reftableOffset() throws IOException {
        return u64(48);
    }

    long refblock(int i) throws IOException {
        return u64(reftableOffset() + 8L * i) & ~0x1FFL;
    }

    long snapshotsOffset() throws IOException {
        return u64(64);
    }

    /** Sets the 16-bit refcount of {@code cluster} in refblock 0 (default refcount width, clusters of block 0). */
    void refcount16(long cluster, int value) throws IOException {
        u16(refblock(0) + 2 * cluster, value);
    }

    long size() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.size();
        }
    }

    private ByteBuffer read(long offset, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining() && ch.read(b, offset + b.position()) >= 0) {
                // keep reading
            }
        }
        return b;
    }

    private void write(long offset, ByteBuffer b) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position());
            }
        }
    }
}

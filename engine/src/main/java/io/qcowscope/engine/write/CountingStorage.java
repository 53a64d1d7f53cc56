package io.qcowscope.engine.write;

import io.qcowscope.engine.storage.ForwardingStorage;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A storage that counts the bytes and calls written to the host and the flushes (for {@code bench}). */
public final class CountingStorage extends ForwardingStorage {
    private long bytesWritten;
    private long writeCalls;
    private long flushes;
    /** The file length, known once read: while we hold the write locks nobody else changes it. */
    private long size = -1;

    public CountingStorage(Storage inner) {
        super(inner);
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public long writeCalls() {
        return writeCalls;
    }

    public long flushes() {
        return flushes;
    }

    @Override
    public long size() throws IOException {
        if (size < 0) {
            size = inner.size();
        }
        return size;
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
        inner.write(position, src, offset, length);
        if (size >= 0 && position + length > size) {
            size = position + length;
        }
        bytesWritten += length;
        writeCalls++;
    }

    /** Reads pass through as they come (a direct buffer stays direct down to the file). */
    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        inner.read(position, dst);
    }

    @Override
    public void write(long position, ByteBuffer src) throws IOException {
        int length = src.remaining();
        inner.write(position, src);
        if (size >= 0 && position + length > size) {
            size = position + length;
        }
        bytesWritten += length;
        writeCalls++;
    }

    @Override
    public void truncate(long size) throws IOException {
        inner.truncate(size);
        this.size = -1;
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
        flushes++;
    }
}

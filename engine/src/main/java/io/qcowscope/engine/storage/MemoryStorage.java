package io.qcowscope.engine.storage;

import java.io.IOException;
import java.util.Arrays;

/** An image held in memory, for tests and for building images before they are written out. */
public final class MemoryStorage implements Storage {
    private final String name;
    private byte[] data;
    private int size;
    private final boolean writable;

    public MemoryStorage(String name, byte[] initial, boolean writable) {
        this.name = name;
        this.data = initial.clone();
        this.size = initial.length;
        this.writable = writable;
    }

    public static MemoryStorage empty(String name) {
        return new MemoryStorage(name, new byte[0], true);
    }

    public synchronized byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public synchronized void read(long position, byte[] dst, int offset, int length) throws IOException {
        Storage.checkRange(this, position, length);
        Arrays.fill(dst, offset, offset + length, (byte) 0);
        if (position < size && position >= 0) {
            int n = (int) Math.min(length, size - position);
            System.arraycopy(data, (int) position, dst, offset, n);
        }
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public synchronized void write(long position, byte[] src, int offset, int length) throws IOException {
        Storage.checkRange(this, position, length);
        if (!writable) {
            throw new IOException(name + " is read-only");
        }
        long end = position + length;
        if (end > Integer.MAX_VALUE - 8) {
            throw new IOException("memory storage cannot grow to " + end + " bytes");
        }
        if (end > data.length) {
            data = Arrays.copyOf(data, (int) Math.max(end, Math.min(Integer.MAX_VALUE - 8, data.length * 2L)));
        }
        System.arraycopy(src, offset, data, (int) position, length);
        size = (int) Math.max(size, end);
    }

    @Override
    public synchronized void truncate(long newSize) throws IOException {
        if (newSize > Integer.MAX_VALUE - 8) {
            throw new IOException("memory storage cannot grow to " + newSize + " bytes");
        }
        if (newSize > data.length) {
            data = Arrays.copyOf(data, (int) newSize);
        } else if (newSize < size) {
            Arrays.fill(data, (int) newSize, size, (byte) 0);
        }
        size = (int) newSize;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}

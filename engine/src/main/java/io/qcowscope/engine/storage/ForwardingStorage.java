package io.qcowscope.engine.storage;

import java.io.IOException;

/** A storage that passes every call to another; subclasses override the calls they watch or change. */
public abstract class ForwardingStorage implements Storage {
    protected final Storage inner;

    protected ForwardingStorage(Storage inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long size() throws IOException {
        return inner.size();
    }

    @Override
    public void read(long position, byte[] dst, int offset, int length) throws IOException {
        inner.read(position, dst, offset, length);
    }

    @Override
    public boolean writable() {
        return inner.writable();
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
        inner.write(position, src, offset, length);
    }

    @Override
    public void truncate(long size) throws IOException {
        inner.truncate(size);
    }

    @Override
    public void willWrite(java.util.List<long[]> ranges) throws IOException {
        inner.willWrite(ranges);
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
    }

    @Override
    public long nextData(long position) throws IOException {
        return inner.nextData(position);
    }

    @Override
    public long nextHole(long position) throws IOException {
        return inner.nextHole(position);
    }

    @Override
    public boolean punchHole(long position, long length) throws IOException {
        return inner.punchHole(position, length);
    }

    @Override
    public long allocatedBytes() throws IOException {
        return inner.allocatedBytes();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}

package io.qcowscope.engine.storage;

import java.io.IOException;
import java.util.List;

/**
 * A storage whose every change (write, shrinking truncate, punched hole) first hands the range it is about to replace to
 * an {@link UndoRecorder}, so that the file can be put back bit for bit (the recorder skips what it holds already: the
 * first record of a byte is its original).
 */
public final class RecordingStorage implements Storage {
    private final Storage inner;
    private final UndoRecorder recorder;

    public RecordingStorage(Storage inner, UndoRecorder recorder) {
        this.inner = inner;
        this.recorder = recorder;
    }

    private void record(long position, long length) throws IOException {
        if (length > 0) {
            recorder.record(List.of(new long[]{position, length}));
        }
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
        Storage.checkRange(this, position, length);
        record(position, length);
        inner.write(position, src, offset, length);
    }

    @Override
    public void truncate(long size) throws IOException {
        long old = inner.size();
        if (size < old) {
            record(size, old - size);
        }
        inner.truncate(size);
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
        record(position, length);
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

package io.qcowscope.engine.storage;

import java.io.IOException;
import java.util.List;

/**
 * A storage whose every change (write, shrinking truncate, punched hole) first hands the range it is about to replace to
 * an {@link UndoRecorder}, so that the file can be put back bit for bit (the recorder skips what it holds already: the
 * first record of a byte is its original).
 */
public final class UndoRecordingStorage extends ForwardingStorage {
    private final UndoRecorder recorder;

    public UndoRecordingStorage(Storage inner, UndoRecorder recorder) {
        super(inner);
        this.recorder = recorder;
    }

    private void record(long position, long length) throws IOException {
        if (length > 0) {
            recorder.record(List.of(new long[]{position, length}));
        }
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
        Storage.checkRange(this, position, length);
        record(position, length);
        inner.write(position, src, offset, length);
    }

    /** A batch's ranges recorded at once: one journal sync instead of one per write. */
    @Override
    public void willWrite(List<long[]> ranges) throws IOException {
        if (!ranges.isEmpty()) {
            recorder.record(ranges);
        }
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
    public boolean punchHole(long position, long length) throws IOException {
        record(position, length);
        return inner.punchHole(position, length);
    }
}

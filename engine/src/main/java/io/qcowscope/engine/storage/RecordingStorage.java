package io.qcowscope.engine.storage;

import java.io.IOException;
import java.util.List;

/**
 * A storage whose every change (write, shrinking truncate, punched hole) first hands the bytes it is about to replace to
 * an {@link UndoRecorder}, so that the file can be put back bit for bit. Ranges already recorded are not recorded again:
 * the first record of a byte is its original.
 */
public final class RecordingStorage implements Storage {
    /** Ranges are recorded in whole 512-byte grains, remembered as merged runs of grains up to a bound. */
    private static final int GRAIN_BITS = 9;
    private static final int MAX_REMEMBERED = 1 << 16;

    private final Storage inner;
    private final UndoRecorder recorder;
    /** Runs of grains already recorded (first grain to last grain); beyond the bound a range is simply recorded again. */
    private final java.util.TreeMap<Long, Long> recorded = new java.util.TreeMap<>();

    public RecordingStorage(Storage inner, UndoRecorder recorder) {
        this.inner = inner;
        this.recorder = recorder;
    }

    private void record(long position, long length) throws IOException {
        if (length <= 0) {
            return;
        }
        long first = position >>> GRAIN_BITS;
        long last = (position + length - 1) >>> GRAIN_BITS;
        var floor = recorded.floorEntry(first);
        if (floor != null && floor.getValue() >= last) {
            return; // every grain of the range holds its original bytes in the journal already
        }
        long start = first << GRAIN_BITS;
        recorder.record(List.of(new long[]{start, ((last + 1) << GRAIN_BITS) - start}));
        if (recorded.size() < MAX_REMEMBERED) {
            remember(first, last);
        }
    }

    private void remember(long first, long last) {
        var floor = recorded.floorEntry(first);
        if (floor != null && floor.getValue() >= first - 1) {
            first = floor.getKey();
            last = Math.max(last, floor.getValue());
        }
        var next = recorded.ceilingEntry(first + 1);
        while (next != null && next.getKey() <= last + 1) {
            last = Math.max(last, next.getValue());
            recorded.remove(next.getKey());
            next = recorded.ceilingEntry(first + 1);
        }
        recorded.put(first, last);
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

package io.qcowscope.engine.write;

import io.qcowscope.engine.storage.ForwardingStorage;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A storage that records, in order, every write (with the bytes before and after, for ranges up to {@link #KEEP_BYTES}),
 * truncate, hole punch and flush made through it: the trace a dry run turns into its plan.
 */
final class RecordingStorage extends ForwardingStorage {
    /** Writes up to this size keep their old and new bytes (L1 entries, L2 tables, refcount blocks, COW regions). */
    static final int KEEP_BYTES = 2 << 20;

    enum Kind { WRITE, TRUNCATE, PUNCH, FLUSH }

    /** One call; {@code before}/{@code after} are null for large writes and non-writes. */
    record Event(Kind kind, long position, long length, byte[] before, byte[] after) {
    }

    private final List<Event> events = new ArrayList<>();

    RecordingStorage(Storage inner) {
        super(inner);
    }

    List<Event> events() {
        return events;
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
        byte[] before = null;
        byte[] after = null;
        if (length <= KEEP_BYTES) {
            before = inner.read(position, length);
            after = java.util.Arrays.copyOfRange(src, offset, offset + length);
        }
        inner.write(position, src, offset, length);
        events.add(new Event(Kind.WRITE, position, length, before, after));
    }

    @Override
    public void truncate(long size) throws IOException {
        inner.truncate(size);
        events.add(new Event(Kind.TRUNCATE, size, 0, null, null));
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
        events.add(new Event(Kind.FLUSH, 0, 0, null, null));
    }

    @Override
    public boolean punchHole(long position, long length) throws IOException {
        boolean done = inner.punchHole(position, length);
        events.add(new Event(Kind.PUNCH, position, length, null, null));
        return done;
    }
}

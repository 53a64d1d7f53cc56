package io.qcowscope.engine.repair;

import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.storage.ForwardingStorage;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.util.List;

/**
 * A writable image whose every write passes the overlap guard and is then recorded in the undo journal (when there is one)
 * and synced there. Plain {@link #write} calls inside the file are header writes (the pointer switch of a new structure,
 * spec B.3); everything else goes through {@link #apply} with the role of the structure each patch fixes.
 */
final class JournaledStorage extends ForwardingStorage {
    private final UndoJournal journal;
    private OverlapGuard guard;
    private boolean written;

    JournaledStorage(Storage inner, UndoJournal journal) {
        super(inner);
        this.journal = journal;
    }

    /** From now on, writes are checked against {@code g}. */
    void guard(OverlapGuard g) {
        this.guard = g;
    }

    /** True once anything was written. */
    boolean written() {
        return written;
    }

    /** Journals all patches in one synced batch, then writes them; {@code what} names them if the guard refuses. */
    void apply(List<Patch> patches, String what) throws IOException {
        if (guard != null) {
            guard.check(patches, what);
        }
        written |= !patches.isEmpty();
        if (journal != null) {
            journal.record(patches.stream().map(p -> new long[]{p.offset(), p.length()}).toList());
        }
        for (Patch p : patches) {
            inner.write(p.offset(), p.after(), 0, p.length());
        }
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
        if (guard != null) {
            guard.check(position, length, HostClusterRole.HEADER, "header write");
        }
        written = true;
        if (journal != null) {
            journal.record(List.of(new long[]{position, length}));
        }
        inner.write(position, src, offset, length);
    }

    @Override
    public void truncate(long size) throws IOException {
        written = true;
        if (journal != null && size < inner.size()) {
            journal.record(List.of(new long[]{size, inner.size() - size}));
        }
        inner.truncate(size);
    }

    /** A discard (QEMU's of a cluster freed by a leak fix): guarded and journaled like a write. */
    @Override
    public boolean punchHole(long position, long length) throws IOException {
        if (guard != null) {
            guard.check(position, Math.toIntExact(length), HostClusterRole.HEADER, "discard of a freed cluster");
        }
        written = true;
        if (journal != null) {
            journal.record(List.of(new long[]{position, length}));
        }
        return inner.punchHole(position, length);
    }

}

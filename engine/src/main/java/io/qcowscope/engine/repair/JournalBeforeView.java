package io.qcowscope.engine.repair;

import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only view of an image file as it was before a journaled apply: the journal's original bytes laid over the file
 * as it now stands, cut to the length it had (what lies past it reads as zeros). Where two regions overlap the first
 * holds the original bytes. Nothing is written.
 */
final class JournalBeforeView implements Storage {
    private final Storage file;
    private final List<UndoJournal.Region> regions;
    private final long length;

    JournalBeforeView(Storage file, UndoJournal journal) {
        this.file = file;
        this.regions = journal.regions();
        this.length = journal.originalLength();
    }

    @Override
    public String name() {
        return file.name() + " (before the apply)";
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public void read(long position, byte[] dst, int offset, int len) throws IOException {
        Storage.checkRange(this, position, len);
        file.read(position, dst, offset, len);
        if (position + len > length) {
            int from = (int) Math.max(0, length - position);
            Arrays.fill(dst, offset + from, offset + len, (byte) 0);
        }
        for (int i = regions.size() - 1; i >= 0; i--) { // the first region is laid last: it wins
            UndoJournal.Region r = regions.get(i);
            long from = Math.max(position, r.offset());
            long to = Math.min(position + len, r.offset() + r.original().length);
            if (from < to) {
                System.arraycopy(r.original(), (int) (from - r.offset()), dst, offset + (int) (from - position),
                        (int) (to - from));
            }
        }
    }

    @Override
    public boolean writable() {
        return false;
    }

    @Override
    public void write(long position, byte[] src, int offset, int len) throws IOException {
        throw new IOException(name() + " is read-only");
    }

    @Override
    public void truncate(long size) throws IOException {
        throw new IOException(name() + " is read-only");
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        // the file is the caller's
    }
}

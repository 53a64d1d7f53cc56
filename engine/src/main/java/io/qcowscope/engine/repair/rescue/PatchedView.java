package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.util.List;

/**
 * A read-only view of an image file with a rescue's patches laid over it (issue 14): what the file reads as once the
 * selected rescue fixes are written, so the rest of the plan is computed on exactly those bytes. Nothing is written.
 */
final class PatchedView implements Storage {
    private final Storage file;
    private final List<Patch> patches;

    PatchedView(Storage file, List<Patch> patches) {
        this.file = file;
        this.patches = List.copyOf(patches);
    }

    @Override
    public String name() {
        return file.name();
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public void read(long position, byte[] dst, int offset, int length) throws IOException {
        file.read(position, dst, offset, length);
        for (Patch p : patches) {
            long from = Math.max(position, p.offset());
            long to = Math.min(position + length, p.offset() + p.length());
            if (from < to) {
                System.arraycopy(p.after(), (int) (from - p.offset()), dst, offset + (int) (from - position),
                        (int) (to - from));
            }
        }
    }

    @Override
    public boolean writable() {
        return false;
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
        throw new IOException(name() + ": a rescue plan view is read-only");
    }

    @Override
    public void truncate(long size) throws IOException {
        throw new IOException(name() + ": a rescue plan view is read-only");
    }

    @Override
    public void flush() {
    }

    @Override
    public long nextData(long position) throws IOException {
        return file.nextData(position);
    }

    @Override
    public long nextHole(long position) throws IOException {
        return file.nextHole(position);
    }

    @Override
    public void close() {
        // the file is the caller's
    }
}

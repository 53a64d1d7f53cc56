package io.qcowscope.engine.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Pure-Java {@link FileBackend} used when JNA/libc is unavailable. Limits (qcow2-spec.md
 * section 7, "Java pitfalls"):
 * <ul>
 *   <li>No sparse information: the whole file is data and {@link #allocatedBytes()} is the size.</li>
 *   <li>Locks are POSIX {@code F_SETLK} locks owned by the whole JVM process, not by this file:
 *       they are released when <em>any</em> channel of the same file in this JVM is closed, and
 *       a second overlapping request from this JVM fails ({@link OverlappingFileLockException},
 *       reported as a conflict). POSIX and QEMU's OFD locks do conflict with each other.</li>
 *   <li>{@link #isLockedByOthers} cannot re-probe a byte this backend holds itself (returns
 *       {@code false}). An exclusive probe needs a writable channel, so a read-only file opens a
 *       second, never-written read-write channel for probing; if that is refused it probes with
 *       a shared lock, which sees exclusive holders but not QEMU's shared locks.</li>
 * </ul>
 */
final class JavaBackend implements FileBackend {

    private final FileChannel channel;
    private final boolean writable;
    private final Path path;
    private final Map<Long, FileLock> held = new HashMap<>();
    /** Writable channel for exclusive probes, opened lazily; kept open because closing any channel drops our locks. */
    private FileChannel probeChannel;
    private boolean probeChannelRefused;

    private JavaBackend(FileChannel channel, Path path, boolean writable) {
        this.channel = channel;
        this.path = path;
        this.writable = writable;
        this.probeChannel = writable ? channel : null;
    }

    static JavaBackend open(Path path, boolean writable) throws IOException {
        FileChannel ch = writable
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        return new JavaBackend(ch, path, writable);
    }

    /** Pure Java cannot deallocate a range: the bytes stay (QEMU treats a discard as a hint too). */
    @Override
    public boolean punchHole(long offset, long length) {
        return false;
    }

    @Override
    public long seekData(long pos) throws IOException {
        return pos < size() ? pos : -1;
    }

    @Override
    public long seekHole(long pos) throws IOException {
        long size = size();
        return pos < size ? size : -1;
    }

    @Override
    public long allocatedBytes() throws IOException {
        return size();
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public boolean lockShared(long byteOffset) throws IOException {
        if (held.containsKey(byteOffset)) {
            return true;
        }
        try {
            FileLock lock = channel.tryLock(byteOffset, 1, true);
            if (lock == null) {
                return false;
            }
            held.put(byteOffset, lock);
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }

    @Override
    public void unlock(long byteOffset) throws IOException {
        FileLock lock = held.remove(byteOffset);
        if (lock != null) {
            lock.release();
        }
    }

    @Override
    public boolean isLockedByOthers(long byteOffset) throws IOException {
        if (held.containsKey(byteOffset)) {
            return false;
        }
        FileChannel probeWith = probeChannel();
        try {
            FileLock probe = probeWith.tryLock(byteOffset, 1, probeWith == channel && !writable);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held through another channel of this JVM
        }
    }

    private FileChannel probeChannel() {
        if (probeChannel == null && !probeChannelRefused) {
            try {
                probeChannel = FileChannel.open(path, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                probeChannelRefused = true;
            }
        }
        return probeChannel != null ? probeChannel : channel;
    }

    @Override
    public void close() throws IOException {
        held.clear();
        try {
            if (probeChannel != null && probeChannel != channel) {
                probeChannel.close();
            }
        } finally {
            channel.close(); // releases this JVM's locks on the file
        }
    }
}

package io.qcowscope.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One open host file with the facts pure Java cannot get: sparse layout, allocated size and
 * QEMU-compatible byte locks (qcow2-spec.md section 7).
 *
 * <p>With native support ({@link #isNativeAvailable()}, Linux x86_64/aarch64 with JNA) the file
 * is opened with libc {@code open(O_RDONLY|O_RDWR, O_CLOEXEC)}; locks are OFD locks owned by
 * this descriptor, so they neither depend on nor are released by any {@code FileChannel} or other
 * {@code NativeFile} of the same file. Otherwise a {@code FileChannel} is used, with the limits
 * documented on {@link #lockShared}, {@link #isLockedByOthers} and the seek methods.
 *
 * <p>Instances are thread-safe; every method throws {@link IOException} after {@link #close()}.
 */
public final class NativeFile implements AutoCloseable {

    /** Set {@code -Dqcowscope.native=false} to force the pure-Java fallback. */
    public static final String DISABLE_PROPERTY = "qcowscope.native";

    private static final Object LIBC = loadLibc();

    private final Path path;
    private final FileBackend backend;
    private final boolean nativeBackend;
    private boolean closed;

    private NativeFile(Path path, FileBackend backend, boolean nativeBackend) {
        this.path = path;
        this.backend = backend;
        this.nativeBackend = nativeBackend;
    }

    /** Returns the {@code LibC} instance, or {@code null} when JNA/libc is unusable or disabled. */
    private static Object loadLibc() {
        if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))) {
            return null;
        }
        try {
            return LibC.load();
        } catch (LinkageError | RuntimeException e) { // JNA missing, no libc, unsupported platform
            return null;
        }
    }

    /** True when files are opened through libc (sparse queries and OFD locks are real). */
    public static boolean isNativeAvailable() {
        return LIBC != null;
    }

    /**
     * Opens {@code path} read-only or read-write, natively when available.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     */
    public static NativeFile open(Path path, boolean writable) throws IOException {
        Objects.requireNonNull(path, "path");
        if (LIBC != null) {
            return new NativeFile(path, NativeBackend.open((LibC) LIBC, path, writable), true);
        }
        return openFallback(path, writable);
    }

    /** Opens with the pure-Java backend regardless of native availability (tests, diagnostics). */
    static NativeFile openFallback(Path path, boolean writable) throws IOException {
        return new NativeFile(path, JavaBackend.open(path, writable), false);
    }

    /** The path this file was opened with. */
    public Path path() {
        return path;
    }

    /** True when this instance uses libc rather than the pure-Java fallback. */
    public boolean isNative() {
        return nativeBackend;
    }

    /**
     * {@code lseek(SEEK_DATA)}: the first offset {@code >= pos} that holds data, or -1 if there is
     * none (ENXIO, including {@code pos >= size}). Without file-system support (EINVAL/EOPNOTSUPP)
     * or in the fallback the whole file counts as data: {@code pos} if {@code pos < size}, else -1.
     */
    public synchronized long seekData(long pos) throws IOException {
        return open().seekData(checkPos(pos));
    }

    /**
     * {@code lseek(SEEK_HOLE)}: the first offset {@code >= pos} inside a hole, where the end of
     * file counts as a hole; -1 if {@code pos >= size} (ENXIO). Without file-system support or in
     * the fallback this is {@code size} for any {@code pos < size}.
     */
    public synchronized long seekHole(long pos) throws IOException {
        return open().seekHole(checkPos(pos));
    }

    /** Bytes allocated on disk, {@code st_blocks * 512}; the fallback returns {@link #size()}. */
    public synchronized long allocatedBytes() throws IOException {
        return open().allocatedBytes();
    }

    /**
     * Deallocates {@code [offset, offset + length)} so it reads back as zeros and no longer takes disk space, keeping the
     * file size ({@code fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)}, what QEMU's file driver does for a
     * discard). Returns false, changing nothing, where the file system or the fallback cannot. Needs a writable file.
     */
    public synchronized boolean punchHole(long offset, long length) throws IOException {
        checkPos(length);
        return open().punchHole(checkPos(offset), length);
    }

    /** Current file size in bytes ({@code st_size}). */
    public synchronized long size() throws IOException {
        return open().size();
    }

    /**
     * Takes a shared (F_RDLCK) lock of length 1 at {@code byteOffset}, as QEMU does for every lock
     * it holds. Idempotent. Returns {@code false} when another owner holds an exclusive lock there
     * (EAGAIN/EACCES). Fallback: a POSIX lock owned by the whole JVM, which also fails for any
     * byte another channel of this JVM has locked.
     */
    public synchronized boolean lockShared(long byteOffset) throws IOException {
        return open().lockShared(checkPos(byteOffset));
    }

    /** Releases this file's lock at {@code byteOffset}, if any. */
    public synchronized void unlock(long byteOffset) throws IOException {
        open().unlock(checkPos(byteOffset));
    }

    /**
     * Probes byte {@code byteOffset} with an exclusive (F_WRLCK) {@code F_OFD_GETLK}: true when
     * another owner (another process, or another descriptor in this JVM) holds any lock there.
     * This file's own locks are ignored. Fallback: a {@code tryLock} probe; it reports
     * {@code false} for a byte this file holds itself, and on a read-only file it only sees
     * exclusive locks, not QEMU's shared ones, unless it may also open the file read-write.
     */
    public synchronized boolean isLockedByOthers(long byteOffset) throws IOException {
        return open().isLockedByOthers(checkPos(byteOffset));
    }

    /** Closes the descriptor, releasing every lock it holds. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            backend.close();
        }
    }

    private FileBackend open() throws IOException {
        if (closed) {
            throw new IOException("file is closed: " + path);
        }
        return backend;
    }

    private static long checkPos(long pos) {
        if (pos < 0) {
            throw new IllegalArgumentException("negative offset: " + pos);
        }
        return pos;
    }

    @Override
    public String toString() {
        return "NativeFile[" + path + (nativeBackend ? ", native" : ", fallback") + (closed ? ", closed]" : "]");
    }
}

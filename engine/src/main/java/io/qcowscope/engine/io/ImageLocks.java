package io.qcowscope.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * QEMU's image-locking permission protocol (qcow2-spec.md section 7) on one open image.
 *
 * <p>Every lock is a shared one-byte lock. Byte {@code 100 + i} locked means "I hold permission
 * {@code i}"; byte {@code 200 + i} locked means "nobody else may hold permission {@code i}".
 * Before opening, QEMU checks that no other owner forbids a permission it wants and holds none
 * it refuses to share; qcowscope follows the same rule, so QEMU and qcowscope refuse each other
 * exactly as two QEMU processes would. Locks are advisory: tools that do not lock are not stopped.
 *
 * <p>Closing releases the locks and closes the file. Use {@link #file()} for I/O queries on the
 * same descriptor while the locks are held.
 */
public final class ImageLocks implements AutoCloseable {

    public static final int PERM_CONSISTENT_READ = 0;
    public static final int PERM_WRITE = 1;
    public static final int PERM_WRITE_UNCHANGED = 2;
    public static final int PERM_RESIZE = 3;

    /** Base of "I hold permission i" bytes (100 + i). */
    public static final int HOLD_BASE = 100;
    /** Base of "I forbid permission i to others" bytes (200 + i). */
    public static final int FORBID_BASE = 200;

    public static final int HOLD_CONSISTENT_READ = HOLD_BASE + PERM_CONSISTENT_READ;
    public static final int HOLD_WRITE = HOLD_BASE + PERM_WRITE;
    public static final int HOLD_WRITE_UNCHANGED = HOLD_BASE + PERM_WRITE_UNCHANGED;
    public static final int HOLD_RESIZE = HOLD_BASE + PERM_RESIZE;
    public static final int FORBID_CONSISTENT_READ = FORBID_BASE + PERM_CONSISTENT_READ;
    public static final int FORBID_WRITE = FORBID_BASE + PERM_WRITE;
    public static final int FORBID_WRITE_UNCHANGED = FORBID_BASE + PERM_WRITE_UNCHANGED;
    public static final int FORBID_RESIZE = FORBID_BASE + PERM_RESIZE;

    /** QEMU read-write open (share-rw=off): hold read, write, resize; forbid write, resize. */
    private static final int[] WRITE_SET = {HOLD_CONSISTENT_READ, HOLD_WRITE, HOLD_RESIZE, FORBID_WRITE, FORBID_RESIZE};
    /** Foreign locks that make a read-write open fail. */
    private static final int[] WRITE_CONFLICTS = {HOLD_WRITE, HOLD_RESIZE, FORBID_WRITE, FORBID_RESIZE};
    /** QEMU read-only open: hold read; forbid write, resize. */
    private static final int[] READ_SET = {HOLD_CONSISTENT_READ, FORBID_WRITE, FORBID_RESIZE};
    /** Foreign locks that make a QEMU read-only open fail. */
    private static final int[] READ_CONFLICTS = {HOLD_WRITE, HOLD_RESIZE};
    /** {@code -U} / force-share: hold read only, conflict with nobody. */
    private static final int[] SHARED_READ_SET = {HOLD_CONSISTENT_READ};

    private final NativeFile file;
    private final int[] held;
    private final boolean foreignWriter;

    private ImageLocks(NativeFile file, int[] held, boolean foreignWriter) {
        this.file = file;
        this.held = held;
        this.foreignWriter = foreignWriter;
    }

    /**
     * Opens {@code image} read-write with QEMU's read-write lock set (100, 101, 103, 201, 203).
     * Fails if another owner writes (101), resizes (103) or forbids writing (201) or resizing
     * (203); afterwards QEMU refuses to open the image, read-write or read-only, until closed.
     *
     * @throws ImageLockedException if another process holds a conflicting lock
     */
    public static ImageLocks acquireForWriting(Path image) throws IOException {
        return acquire(image, true, WRITE_CONFLICTS, WRITE_SET);
    }

    /**
     * Opens {@code image} read-only with QEMU's read-only lock set (100, 201, 203), which
     * forbids writers: fails if another owner writes (101) or resizes (103), and stops QEMU from
     * opening the image read-write while held. To inspect an image in use by a VM, use
     * {@link #acquireSharedRead} instead.
     *
     * @throws ImageLockedException if another process holds a conflicting lock
     */
    public static ImageLocks acquireForReading(Path image) throws IOException {
        return acquire(image, false, READ_CONFLICTS, READ_SET);
    }

    /**
     * Opens {@code image} read-only holding only byte 100, like QEMU's {@code -U}: never
     * conflicts with a running QEMU. {@link #foreignWriter()} tells whether someone holds the
     * write permission, in which case metadata may change underneath; never repair in this mode.
     * Without native support the probe needs write access to the file to see QEMU's shared locks.
     *
     * @throws ImageLockedException only if a non-QEMU owner holds an exclusive lock on byte 100
     */
    public static ImageLocks acquireSharedRead(Path image) throws IOException {
        NativeFile file = NativeFile.open(image, false);
        try {
            // QEMU never takes exclusive locks, so only a foreign non-QEMU exclusive lock refuses this
            if (!file.lockShared(HOLD_CONSISTENT_READ)) {
                throw new ImageLockedException(image, HOLD_CONSISTENT_READ);
            }
            return new ImageLocks(file, SHARED_READ_SET.clone(), file.isLockedByOthers(HOLD_WRITE));
        } catch (IOException | RuntimeException e) {
            closeQuietly(file, e);
            throw e;
        }
    }

    /**
     * Probe, lock, then re-probe ({@code F_OFD_GETLK} ignores our own locks) to close the race
     * with a concurrent opener. On failure the file is closed, which releases every lock taken.
     */
    private static ImageLocks acquire(Path image, boolean writable, int[] conflicts, int[] set) throws IOException {
        NativeFile file = NativeFile.open(image, writable);
        try {
            checkConflicts(file, image, conflicts);
            for (int b : set) {
                if (!file.lockShared(b)) {
                    throw new ImageLockedException(image, b);
                }
            }
            checkConflicts(file, image, conflicts);
            return new ImageLocks(file, set.clone(), false);
        } catch (IOException | RuntimeException e) {
            closeQuietly(file, e);
            throw e;
        }
    }

    private static void checkConflicts(NativeFile file, Path image, int[] conflicts) throws IOException {
        for (int b : conflicts) {
            if (file.isLockedByOthers(b)) {
                throw new ImageLockedException(image, b);
            }
        }
    }

    private static void closeQuietly(NativeFile file, Exception primary) {
        try {
            file.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** Human-readable meaning of a foreign lock on {@code lockByte}. */
    static String describe(int lockByte) {
        String[] perms = {"consistent reader", "writer", "write-unchanged user", "resizer"};
        String[] forbids = {"consistent reads", "writers", "write-unchanged users", "resizing"};
        int i = lockByte % 100;
        if (i < perms.length && lockByte / 100 == 1) {
            return "another " + perms[i];
        }
        if (i < forbids.length && lockByte / 100 == 2) {
            return "another user forbids " + forbids[i];
        }
        return "unknown lock";
    }

    /** The locked file; valid until {@link #close()}. */
    public NativeFile file() {
        return file;
    }

    /** Lock bytes held, in acquisition order. */
    public int[] heldBytes() {
        return held.clone();
    }

    /**
     * For {@link #acquireSharedRead}: whether another owner held the write permission (byte 101)
     * when the image was opened. Always {@code false} for the exclusive modes, which refuse writers.
     */
    public boolean foreignWriter() {
        return foreignWriter;
    }

    /** Releases all locks and closes the file. Idempotent. */
    @Override
    public void close() throws IOException {
        file.close(); // closing the descriptor drops all of its locks
    }
}

package io.qcowscope.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another process holds QEMU permission locks on an image that conflict with the access
 * qcowscope asked for (qcow2-spec.md section 7).
 */
public final class ImageLockedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path image;
    private final int lockByte;

    public ImageLockedException(Path image, int lockByte) {
        super("image is locked by another process (byte " + lockByte + ": " + ImageLocks.describe(lockByte)
                + "); is a QEMU process using it? " + image);
        this.image = image;
        this.lockByte = lockByte;
    }

    /** The image file, or {@code null} after deserialization. */
    public Path image() {
        return image;
    }

    /** The conflicting lock byte, e.g. {@link ImageLocks#HOLD_WRITE} (101). */
    public int lockByte() {
        return lockByte;
    }
}

package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Qcow2Exception;

/** A refcount would exceed what {@code refcount_bits} can store (spec 4.1, 5.2 "overflow cluster"). */
public final class RefcountOverflowException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    public RefcountOverflowException(long hostOffset, long max) {
        super("refcount block", -1, "refcount of the cluster at host offset 0x" + Long.toHexString(hostOffset)
                + " would exceed " + Long.toUnsignedString(max) + " (refcount_bits too small)");
    }
}

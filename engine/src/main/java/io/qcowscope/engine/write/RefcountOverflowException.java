package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Structure;

/** A refcount would exceed what {@code refcount_bits} can store (spec 4.1, 5.2 "overflow cluster"). */
public final class RefcountOverflowException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    public RefcountOverflowException(long hostOffset, long max) {
        super(Structure.REFCOUNT_BLOCK, -1, "refcount of the cluster at host offset 0x" + Long.toHexString(hostOffset)
                + " would exceed " + Long.toUnsignedString(max) + " (refcount_bits too small)");
    }
}

package io.qcowscope.engine.check;

/** Ends a check early the way QEMU's check returns an error code ("Check failed", exit 1). */
final class CheckAbort extends Exception {
    private static final long serialVersionUID = 1L;

    CheckAbort(String message) {
        super(message, null, false, false);
    }
}

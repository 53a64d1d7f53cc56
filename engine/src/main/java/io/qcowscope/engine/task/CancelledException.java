package io.qcowscope.engine.task;

import java.io.IOException;

/** Work stopped because its caller cancelled it. */
public class CancelledException extends IOException {
    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("cancelled");
    }
}

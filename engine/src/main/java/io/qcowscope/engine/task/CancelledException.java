package io.qcowscope.engine.task;

/**
 * Work stopped because its caller cancelled it. Unchecked and not an {@link java.io.IOException}: a {@code catch
 * (IOException)} that turns read errors into findings or fallbacks must never swallow a cancellation.
 */
public class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("cancelled", null, false, false);
    }
}

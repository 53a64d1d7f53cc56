package io.qcowscope.engine.compress;

/** A compressed stream that does not decode to exactly one cluster. Callers turn it into a format error with the offset. */
public class CompressedDataException extends Exception {
    private static final long serialVersionUID = 1L;

    public CompressedDataException(String message) {
        super(message);
    }

    public CompressedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}

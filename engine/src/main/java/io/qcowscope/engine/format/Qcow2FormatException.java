package io.qcowscope.engine.format;

/** The image breaks a rule of the qcow2 format or one of QEMU's bounds (spec sections 1, 2, 8). */
public class Qcow2FormatException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    public Qcow2FormatException(String structure, long offset, String detail) {
        super(structure, offset, detail);
    }

    public Qcow2FormatException(String structure, long offset, String detail, Throwable cause) {
        super(structure, offset, detail, cause);
    }
}

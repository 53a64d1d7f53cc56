package io.qcowscope.engine.format;

/** The image breaks a rule of the qcow2 format or one of QEMU's bounds (spec sections 1, 2, 8). */
public class Qcow2FormatException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    public Qcow2FormatException(Structure structure, long offset, String detail) {
        super(structure, offset, detail);
    }

    public Qcow2FormatException(Structure structure, long offset, String detail, Throwable cause) {
        super(structure, offset, detail, cause);
    }

    /** A format problem of the host file named {@code fileName} (the message names the file). */
    public static Qcow2FormatException inFile(String fileName, long offset, String detail, Throwable cause) {
        return new Qcow2FormatException(fileName, offset, detail, cause);
    }

    private Qcow2FormatException(String fileName, long offset, String detail, Throwable cause) {
        super(Structure.FILE, fileName, offset, detail, cause);
    }
}

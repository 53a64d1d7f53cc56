package io.qcowscope.engine.format;

import java.io.IOException;

/** An I/O failure of the host file system while reading or writing an image. */
public class Qcow2IoException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    public Qcow2IoException(Structure structure, long offset, IOException cause) {
        super(structure, offset, cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    public Qcow2IoException(Structure structure, long offset, String detail) {
        super(structure, offset, detail);
    }

    /** An I/O error of the host file named {@code fileName} (the message names the file). */
    public static Qcow2IoException inFile(String fileName, long offset, String detail) {
        return new Qcow2IoException(fileName, offset, detail, null);
    }

    /** An I/O error of the host file named {@code fileName}. */
    public static Qcow2IoException inFile(String fileName, long offset, IOException cause) {
        return new Qcow2IoException(fileName, offset, cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    private Qcow2IoException(String fileName, long offset, String detail, IOException cause) {
        super(Structure.FILE, fileName, offset, detail, cause);
    }
}

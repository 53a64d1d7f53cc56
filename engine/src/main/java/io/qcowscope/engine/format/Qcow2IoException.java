package io.qcowscope.engine.format;

import java.io.IOException;

/** An I/O failure of the host file system while reading or writing an image. */
public class Qcow2IoException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    public Qcow2IoException(String structure, long offset, IOException cause) {
        super(structure, offset, cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    public Qcow2IoException(String structure, long offset, String detail) {
        super(structure, offset, detail);
    }
}

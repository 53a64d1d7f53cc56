package io.qcowscope.engine.image;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Structure;

/** A file named inside an image (backing or data file) that the trust policy does not allow us to open. */
public class UntrustedFileException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    private final String requested;

    public UntrustedFileException(Structure structure, String requested, String detail) {
        super(structure, -1, detail);
        this.requested = requested;
    }

    /** The name as written in the image. */
    public String requested() {
        return requested;
    }
}

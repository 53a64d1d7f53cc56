package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Structure;

/** The image cannot be opened for writing: corrupt or dirty, or uses a feature this writer does not handle. */
public final class ImageNotWritableException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    public ImageNotWritableException(Structure structure, long offset, String detail) {
        super(structure, offset, detail);
    }
}

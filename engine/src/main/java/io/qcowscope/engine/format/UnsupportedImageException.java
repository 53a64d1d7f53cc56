package io.qcowscope.engine.format;

/** A valid image that uses something the engine does not support (unknown incompatible feature, encryption, ...). */
public class UnsupportedImageException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    public UnsupportedImageException(Structure structure, long offset, String detail) {
        super(structure, offset, detail);
    }
}

package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Structure;

/**
 * The image cannot be opened for writing: corrupt or dirty, or uses a feature this writer does not handle. A
 * {@linkplain #repairable() repairable} refusal (the dirty or the corrupt bit) still lets a repair be applied under
 * {@link WritableImage#reserveForRepair}.
 */
public final class ImageNotWritableException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;
    private final boolean repairable;

    public ImageNotWritableException(Structure structure, long offset, String detail) {
        this(structure, offset, detail, false);
    }

    public ImageNotWritableException(Structure structure, long offset, String detail, boolean repairable) {
        super(structure, offset, detail);
        this.repairable = repairable;
    }

    /** True when a repair is what the image needs before it can be written (dirty or corrupt bit set). */
    public boolean repairable() {
        return repairable;
    }
}

package io.qcowscope.engine.format;

import java.io.IOException;

/**
 * Base of every error the engine reports about an image. It names the structure concerned ({@link Structure#L2_TABLE},
 * ...) and the byte offset in the file where the problem lies, or -1 when the problem is not tied to one place.
 */
public class Qcow2Exception extends IOException {
    private static final long serialVersionUID = 1L;

    private final Structure structure;
    private final long offset;

    public Qcow2Exception(Structure structure, long offset, String detail) {
        this(structure, offset, detail, null);
    }

    public Qcow2Exception(Structure structure, long offset, String detail, Throwable cause) {
        this(structure, structure.label(), offset, detail, cause);
    }

    /** @param subject what the message names instead of the structure's label (a file's name, for {@link Structure#FILE}) */
    protected Qcow2Exception(Structure structure, String subject, long offset, String detail, Throwable cause) {
        super(compose(subject, offset, detail), cause);
        this.structure = structure;
        this.offset = offset;
    }

    private static String compose(String structure, long offset, String detail) {
        StringBuilder sb = new StringBuilder();
        if (structure != null && !structure.isEmpty()) {
            sb.append(structure);
            if (offset >= 0) {
                sb.append(" at byte offset 0x").append(Long.toHexString(offset));
            }
            sb.append(": ");
        }
        return sb.append(detail).toString();
    }

    /** The structure concerned. */
    public Structure structure() {
        return structure;
    }

    /** Byte offset in the image file, or -1 when the error is not tied to one place. */
    public long offset() {
        return offset;
    }
}

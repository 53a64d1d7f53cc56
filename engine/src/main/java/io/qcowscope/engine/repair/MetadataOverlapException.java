package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Structure;

/**
 * A repair write refused by the overlap guard: it would land inside a structure other than the one it means to fix (issue
 * 15, QEMU's qcow2_check_metadata_overlap). A planner bug; the apply stops, nothing of the refused write is on disk.
 */
public final class MetadataOverlapException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    MetadataOverlapException(String write, long offset, String detail) {
        super(Structure.REPAIR_PLAN, offset, write + ": " + detail);
    }
}

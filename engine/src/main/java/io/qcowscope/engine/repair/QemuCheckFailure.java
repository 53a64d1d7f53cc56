package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Structure;

/**
 * {@code qemu-img check -r} stops here: QEMU's overlap check refuses a write its repair needs, marks the image corrupt
 * and fails ("Check failed: Input/output error", exit 1). {@code check -r} does the same; {@code repair} goes on.
 */
public final class QemuCheckFailure extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    QemuCheckFailure(Structure structure, long offset, String detail) {
        super(structure, offset, detail);
    }
}

package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Structure;

/** A file that is not a damaged qcow2 image (random bytes, raw, another format): nothing to rescue, no plan (issue 14). */
public final class NotQcow2Exception extends Qcow2Exception {
    private static final long serialVersionUID = 1L;

    public NotQcow2Exception(String why) {
        super(Structure.HEADER, "", 0, "not a qcow2 image, nothing to rescue (" + why + ")", null);
    }
}

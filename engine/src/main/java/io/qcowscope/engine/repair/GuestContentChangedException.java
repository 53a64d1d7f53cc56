package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Structure;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A repair whose every fix claimed to keep the guest content changed it (issue 15: risk labels checked): the label of
 * the fix named is wrong. The apply was undone.
 */
public final class GuestContentChangedException extends Qcow2Exception {
    private static final long serialVersionUID = 1L;
    private final long guestOffset;

    GuestContentChangedException(long guestOffset, List<Fix> fixes) {
        super(Structure.IMAGE, -1, String.format("the guest reads differently in the GiB at guest offset 0x%x after "
                + "fixes labelled safe or rewrites-metadata: %s; a wrong risk label, the apply was undone", guestOffset,
                suspects(guestOffset, fixes)));
        this.guestOffset = guestOffset;
    }

    /** First guest byte of the 1 GiB range that differs. */
    public long guestOffset() {
        return guestOffset;
    }

    /** The fixes whose guest range meets the changed GiB, or all of them when none declares one there. */
    private static String suspects(long at, List<Fix> fixes) {
        List<Fix> near = fixes.stream().filter(f -> f.guestOffset() >= 0 && f.guestOffset() < at + GuestDigest.CHUNK
                && f.guestOffset() + Math.max(1, f.guestLength()) > at).toList();
        return (near.isEmpty() ? fixes : near).stream().map(f -> "fix " + f.id() + " (" + f.kind().option() + ", "
                + f.path() + ")").collect(Collectors.joining(", "));
    }
}

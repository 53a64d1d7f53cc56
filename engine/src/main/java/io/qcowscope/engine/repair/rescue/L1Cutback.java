package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An l1_size larger than the virtual size needs, that QEMU accepts but that reads other bytes as L1 entries (issue 14):
 * the table runs past the end of the file, or an entry past the ones the virtual size needs is no valid L2 pointer. It is
 * cut back to the size QEMU's rule gives (spec 1.2 step 11); the entries past it map nothing the guest can read.
 */
final class L1Cutback {
    private L1Cutback() {
    }

    static void plan(Qcow2Image img, FixList out) throws IOException {
        Geometry g = img.geometry();
        long needed = g.l1EntriesFor(img.virtualSize());
        long have = img.l1Size();
        if (have <= needed) {
            return;
        }
        long fileSize = img.storage().size();
        long end = img.l1Offset() + 8 * have;
        String why = null;
        if (end > fileSize) {
            why = String.format("the L1 table of %d entries at 0x%x runs past the end of the file (%d bytes)", have,
                    img.l1Offset(), fileSize);
        } else {
            long[] l1 = img.l1Table();
            for (long i = needed; i < have && why == null; i++) {
                long e = l1[(int) i];
                long o = L1Entry.l2Offset(e);
                if (e != 0 && ((e & L1Entry.RESERVED_MASK) != 0 || (o & g.clusterMask()) != 0 || o + g.clusterSize()
                        > fileSize)) {
                    why = String.format("L1[%d] = 0x%x, past the %d entries the virtual size needs, is no valid L2 "
                            + "pointer: the table reads other bytes as L1 entries", i, e, needed);
                }
            }
        }
        if (why == null) {
            return;
        }
        byte[] before = img.storage().read(36, 4);
        out.add(FixKind.RESCUE_L1_SIZE, "header.l1_size", 36, List.of(new Patch(36, before,
                ByteBuffer.allocate(4).putInt((int) needed).array(), HostClusterRole.HEADER)), null, String.format(
                "l1_size %d: %s; cut back to %d, what the virtual size %d needs (QEMU's rule)", have, why, needed,
                img.virtualSize()), g.bytesPerL1Entry() * needed, 0, -1, true);
    }
}

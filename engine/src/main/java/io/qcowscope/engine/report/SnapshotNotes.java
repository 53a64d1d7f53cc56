package io.qcowscope.engine.report;

import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.Qcow2Image;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Facts about a snapshot that inform and are never findings. OFLAG_COPIED is meaningful only in the active L1 and its L2
 * tables (spec 4.2): {@code qemu-img snapshot -c} copies the active L1 with its COPIED bits and leaves them set, and
 * {@code qemu-img check} says nothing about them. {@code dump snapshots} and the window's explain text show the count.
 */
public final class SnapshotNotes {
    private static final int CHUNK = 8192;

    private SnapshotNotes() {
    }

    /** How many of the snapshot's L1 entries have COPIED set; -1 when its L1 table is not where an L1 can be. */
    public static long copiedL1Entries(Qcow2Image img, SnapshotEntry s) throws IOException {
        long offset = s.l1TableOffset();
        long entries = s.l1Size();
        if (entries > Limits.MAX_L1_ENTRIES || (offset & img.geometry().clusterMask()) != 0 || offset < 0
                || offset > Long.MAX_VALUE - entries * 8) {
            return -1;
        }
        long count = 0;
        byte[] chunk = new byte[(int) Math.min(entries, CHUNK) * 8];
        for (long base = 0; base < entries; base += CHUNK) {
            int n = (int) Math.min(CHUNK, entries - base);
            img.storage().read(offset + base * 8, chunk, 0, n * 8);
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, n * 8);
            for (int i = 0; i < n; i++) {
                if (L1Entry.copied(b.getLong())) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The explanation of {@link #copiedL1Entries}' count, or null when there is nothing to say. */
    public static String copiedNote(long count) {
        if (count <= 0) {
            return null;
        }
        return count + " L1 entries keep OFLAG_COPIED from when the snapshot was taken: QEMU leaves those bits in a "
                + "snapshot's L1 copy, and they mean nothing there (COPIED counts only in the active L1, spec 4.2)";
    }
}

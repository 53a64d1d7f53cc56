package io.qcowscope.engine.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.write.WritableImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an in-place write changed, read from its undo journal: flipped subcluster bits, raised refcounts. */
class AppliedChangesTest {
    @TempDir
    Path dir;

    @Test
    void aJournaledWriteReportsTheBitsItFlippedAndTheRefcountsItRaised() throws Exception {
        Qemu.requireInstalled();
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "a.qcow2", "4M");
        Qemu.io(dir, "a.qcow2", "write -q -P 0x11 0 4k"); // cluster 0: subclusters 0 and 1 (2 KiB each)
        Path img = dir.resolve("a.qcow2");
        long l2;
        long dataBefore;
        try (Qcow2Image q = Qcow2Image.open(img)) {
            l2 = L1Entry.l2Offset(q.l1Table()[0]);
            dataBefore = L2Entry.hostOffset(word(q.storage().read(l2, 8)));
        }
        Path journal = dir.resolve("a.undo");
        try (UndoJournal j = UndoJournal.create(img, journal)) {
            try (WritableImage w = WritableImage.open(img, OpenOptions.readOnly(), j)) {
                w.write(8 << 10, new byte[2048]); // subcluster 4 of cluster 0
                w.write(1 << 20, new byte[4096]); // cluster 16: a new host cluster, subclusters 0 and 1
            }
        }
        UndoJournal read = UndoJournal.read(journal);
        try (Qcow2Image q = Qcow2Image.open(img)) {
            AppliedChanges c = AppliedChanges.of(read, q);
            assertArrayEquals(new long[]{0, 1L << 4}, c.flipsAt(l2), "subcluster 4's allocation bit flipped");
            long[] sixteen = c.flipsAt(l2 + 16L * 16);
            assertEquals(0b11, sixteen[1], "cluster 16's subclusters 0 and 1 became allocated");
            long newHost = L2Entry.hostOffset(word(q.storage().read(l2 + 16L * 16, 8)));
            assertEquals(newHost, L2Entry.hostOffset(sixteen[0]), "its entry was empty: all of its new host offset flipped");
            assertTrue(c.refcountRaised(newHost >>> 16), "the new data cluster's refcount rose");
            assertFalse(c.refcountRaised(dataBefore >>> 16), "cluster 0's data cluster kept its refcount");
            assertNull(c.flipsAt(l2 + 16), "cluster 1's entry did not change");
            assertEquals(2, c.entryOffsets().length);
        }
        Qemu.img(dir, "check", "a.qcow2");
    }

    private static long word(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}

package io.qcowscope.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.io.ImageLocks;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link WritableImage} opened with an undo journal records every byte it changes first: guest writes with COW from a
 * backing file, zero writes, discards (punched holes), snapshot operations and header changes all come back bit for bit.
 */
class JournaledWriteTest {
    @TempDir
    Path dir;

    @BeforeEach
    void qemu() {
        Qemu.requireInstalled();
    }

    static byte[] sha(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    @Test
    void aFlushRecordsEachCrashSafeStageInOneJournalSyncAndUndoStillGivesTheOriginal() throws Exception {
        // four L2 tables (512 MiB of guest each with 64 KiB clusters), data in each, 16 clusters of it at 0
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "big.qcow2", "2G");
        Qemu.io(dir, "big.qcow2", "write -q -P 1 0 1M", "write -q -P 2 512M 64k", "write -q -P 3 1G 64k",
                "write -q -P 4 1536M 64k");
        Path img = dir.resolve("big.qcow2");
        byte[] before = sha(img);
        Path journal = dir.resolve("big.undo");
        long syncs;
        try (UndoJournal j = UndoJournal.create(img, journal)) {
            try (WritableImage w = WritableImage.open(img, OpenOptions.readOnly(), j)) {
                for (long g : new long[]{0, 512L << 20, 1L << 30, 1536L << 20}) {
                    w.writeZeroes(g, 64 << 10, false); // the entry's zero flag: its L2 table changes, nothing else
                }
                long atStart = j.syncs();
                w.flush();
                assertEquals(atStart + 1, j.syncs(), "the four L2 tables of one stage are recorded with one sync");
                w.write(64 << 10, new byte[15 << 16]); // clusters 1..15, allocated: overwritten in place
                assertEquals(atStart + 2, j.syncs(), "the 15 clusters a write overwrites are recorded with one sync");
            }
            syncs = j.syncs();
        }
        assertTrue(syncs <= 3, "a handful of syncs for the whole session, not one per table: " + syncs);
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "big.qcow2").exitCode());
        Qemu.io(dir, "big.qcow2", "read -q -P 0 512M 64k", "read -q -P 0 0 1M");
        UndoJournal.read(journal).undo();
        assertArrayEquals(before, sha(img), "undo gives the original bit for bit");
    }

    @Test
    void undoAfterWritesZeroesDiscardsAndSnapshotsGivesTheOriginalSha256() throws Exception {
        Qemu.img(dir, "create", "-f", "raw", "base.raw", "4M");
        Qemu.io(dir, java.util.List.of("-f", "raw"), "base.raw", "write -q -P 0xff 0 4M");
        Qemu.img(dir, "create", "-f", "qcow2", "-o", "extended_l2=on", "-b", "base.raw", "-F", "raw", "top.qcow2", "4M");
        Qemu.io(dir, "top.qcow2", "write -q -P 1 0 200k", "write -q -z 1M 64k");
        Qemu.img(dir, "snapshot", "-c", "old", "top.qcow2");
        Path img = dir.resolve("top.qcow2");
        byte[] before = sha(img);
        long length = Files.size(img);
        Path journal = dir.resolve("top.qcow2.undo");
        try (UndoJournal j = UndoJournal.create(img, journal);
                WritableImage w = WritableImage.open(img, OpenOptions.readOnly(), j)) {
            w.write(3 * 1024, new byte[]{7, 7, 7});
            w.write(2 << 20, new byte[5000]);
            w.writeZeroes(0, 64 << 10, true);
            w.discard(128 << 10, 64 << 10);
            w.snapshotManager().create("new");
            w.snapshotManager().delete("old");
            assertTrue(w.cowBytesCopied() > 0, "the partial writes copied from the backing file");
        }
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "top.qcow2").exitCode());
        assertFalse(java.util.Arrays.equals(before, sha(img)));
        UndoJournal.read(journal).undo();
        assertArrayEquals(before, sha(img));
        assertEquals(length, Files.size(img));
    }

    @Test
    void reserveTakesTheWriteLocksWithoutWriting() throws Exception {
        Qemu.img(dir, "create", "-f", "qcow2", "a.qcow2", "1M");
        Path img = dir.resolve("a.qcow2");
        byte[] before = sha(img);
        try (ImageLocks l = WritableImage.reserve(img, OpenOptions.readOnly())) {
            Qemu.Result r = Qemu.imgAllowFail(dir, "info", "a.qcow2");
            assertTrue(r.exitCode() != 0 && r.stderr().contains("lock"), r.stderr());
            assertThrows(io.qcowscope.engine.io.ImageLockedException.class, () -> WritableImage.open(img));
        }
        assertArrayEquals(before, sha(img));
        WritableImage.open(img).close();
    }
}

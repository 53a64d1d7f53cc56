package io.qcowscope.engine.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.Qcow2Exception;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UndoJournalTest {
    @TempDir
    Path dir;

    static byte[] sha(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    @Test
    void undoRestoresTheFileBitForBitAfterOverwritesAndGrowth() throws Exception {
        Path img = dir.resolve("x.img");
        byte[] content = new byte[300_000];
        new Random(1).nextBytes(content);
        Files.write(img, content);
        byte[] before = sha(img);
        Path journal = dir.resolve("x.undo");
        UndoJournal.capture(img, List.of(new long[]{0, 512}, new long[]{100_000, 70_000}, new long[]{299_000, 50_000}),
                journal);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(10);
            f.write(new byte[400]);
            f.seek(120_000);
            f.write(new byte[10_000]);
            f.seek(299_500);
            f.write(new byte[40_000]);
        }
        assertTrue(Files.size(img) > content.length);
        UndoJournal.read(journal).undo();
        assertArrayEquals(before, sha(img));
        assertEquals(content.length, Files.size(img));
    }

    @Test
    void bytesRecordedOnceAreNotRecordedAgainAndUndoStillGivesTheOriginal() throws Exception {
        Path img = dir.resolve("d.img");
        byte[] content = new byte[100_000];
        new Random(2).nextBytes(content);
        Files.write(img, content);
        byte[] before = sha(img);
        Path journal = dir.resolve("d.undo");
        try (UndoJournal j = UndoJournal.create(img, journal);
                RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            j.record(List.of(new long[]{1000, 4000}));
            f.seek(1000);
            f.write(new byte[4000]);
            j.record(List.of(new long[]{0, 10_000})); // overlaps: only [0,1000) and [5000,10000) are new
            f.seek(0);
            f.write(new byte[10_000]);
            j.record(List.of(new long[]{2000, 100}));
            assertEquals(10_000, j.regions().stream().mapToInt(r -> r.original().length).sum());
        }
        UndoJournal.read(journal).undo();
        assertArrayEquals(before, sha(img));
    }

    @Test
    void aDamagedJournalIsRefused() throws Exception {
        Path img = dir.resolve("y.img");
        Files.write(img, new byte[4096]);
        Path journal = dir.resolve("y.undo");
        UndoJournal.capture(img, List.of(new long[]{0, 100}), journal);
        byte[] j = Files.readAllBytes(journal);
        j[20] ^= 1;
        Files.write(journal, j);
        Qcow2Exception e = assertThrows(Qcow2Exception.class, () -> UndoJournal.read(journal));
        assertTrue(e.getMessage().contains("checksum"));
    }

    @Test
    void sparseCopyKeepsContentAndHoles() throws Exception {
        Path src = dir.resolve("sparse.img");
        try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
            f.setLength(64L << 20);
            f.seek(0);
            f.write(new byte[]{1, 2, 3});
            f.seek(40L << 20);
            f.write(new byte[]{4, 5, 6});
        }
        Path dst = dir.resolve("copy.img");
        SparseCopy.copy(src, dst);
        assertArrayEquals(sha(src), sha(dst));
        try (var s = io.qcowscope.engine.storage.FileStorage.openReadOnly(dst)) {
            assertTrue(s.allocatedBytes() < (1 << 20), "copy stays sparse: " + s.allocatedBytes());
        }
    }
}

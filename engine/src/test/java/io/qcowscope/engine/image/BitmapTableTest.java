package io.qcowscope.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.BitmapTableEntry;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.testkit.Qemu;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bitmap's table as qemu-img wrote it (spec 2.3), and a table past the end of the file as a typed error. */
class BitmapTableTest {
    @TempDir
    Path dir;

    @Test
    void readsTheTablesQemuWroteAndRefusesOnePastTheFile() throws Exception {
        Qemu.requireInstalled();
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "b.qcow2", "64M");
        Qemu.img(dir, "bitmap", "--add", "b.qcow2", "tracked");
        Qemu.io(dir, "b.qcow2", "write -P 1 1M 64k");
        Qemu.img(dir, "bitmap", "--add", "--disable", "b.qcow2", "quiet");
        Path p = dir.resolve("b.qcow2");
        long entryOffset;
        try (Qcow2Image img = Qcow2Image.open(p)) {
            List<BitmapDirectoryEntry> bitmaps = img.bitmaps();
            assertEquals(2, bitmaps.size());
            List<BitmapTableEntry> tracked = img.bitmapTable(bitmaps.get(0), 100);
            assertEquals(1, tracked.size());
            assertTrue(tracked.get(0).dataOffset() != 0, "the written range's bits have a cluster");
            List<BitmapTableEntry> quiet = img.bitmapTable(bitmaps.get(1), 100);
            assertEquals(0, quiet.get(0).raw(), "all zeros, no cluster");
            assertEquals(0, img.bitmapTable(bitmaps.get(0), 0).size());
            entryOffset = bitmaps.get(1).offset();
        }
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(entryOffset);
            f.writeLong(Files.size(p) + (64 << 10) & ~0xFFFFL); // table_offset: aligned, past the end
        }
        try (Qcow2Image img = Qcow2Image.open(p, OpenOptions.readOnly())) {
            BitmapDirectoryEntry quiet = img.bitmaps().get(1);
            Qcow2FormatException e = assertThrows(Qcow2FormatException.class, () -> img.bitmapTable(quiet, 100));
            assertTrue(e.getMessage().contains("past the end of the file"), e.getMessage());
        }
    }
}

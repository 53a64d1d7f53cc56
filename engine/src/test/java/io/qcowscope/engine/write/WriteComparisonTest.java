package io.qcowscope.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same write, standard L2 beside extended L2 (the talk's picture), on images with the same guest content. */
class WriteComparisonTest {
    @TempDir
    Path dir;

    /** An empty extended-L2 image {@code name} over an 8 MiB raw backing file of 0xff. */
    private void extendedOverBacking(String name) {
        Qemu.requireInstalled();
        QemuIoDifferentialTest.ffBacking(dir, "8M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "-b", "ff.raw", "-F", "raw", name, "8M");
    }

    @Test
    void sameContentImageReadsAsTheSourceAndPassesCheck() throws Exception {
        extendedOverBacking("src.qcow2");
        Qemu.io(dir, "src.qcow2", "write -P 1 0 6k",
                "write -z 1M 64k", "write -P 2 3M 100k");
        Path copy = dir.resolve("std.qcow2");
        SameContentImage.create(dir.resolve("src.qcow2"), OpenOptions.readOnly(), copy, 128 << 10, false);
        assertEquals(0, Qemu.img(dir, "check", "std.qcow2").exitCode());
        assertEquals(0, Qemu.img(dir, "compare", "src.qcow2", "std.qcow2").exitCode());
        assertTrue(Qemu.img(dir, "info", "std.qcow2").stdout().contains("cluster_size: 131072"));
    }

    @Test
    void extendedL2CopiesLessThanStandardForOneSmallWrite() throws Exception {
        extendedOverBacking("x.qcow2");
        WriteComparison c = WriteComparison.plan(dir.resolve("x.qcow2"), OpenOptions.readOnly(), 0x20000, 4096,
                65536, false, dir);
        // 4 KiB aligned to 2 KiB subclusters: nothing to copy; standard L2 copies the other 60 KiB from the backing file
        assertEquals(0, c.image().cowBytes());
        assertEquals(61440, c.other().cowBytes());
        assertEquals(c.image().clustersAllocated(), c.other().clustersAllocated());
        assertTrue(c.image().dataBytesWritten() < c.other().dataBytesWritten());
        assertTrue(c.other().geometry().extendedL2() == false && c.image().geometry().extendedL2());
    }
}

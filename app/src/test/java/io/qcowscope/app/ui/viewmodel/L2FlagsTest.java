package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The L2 table's Flags column: in a compressed entry bit 0 is part of the host byte offset, not the ZERO flag (the
 * column said "COMPRESSED ZERO" for every compressed cluster whose data starts at an odd byte).
 */
class L2FlagsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    @Test
    void compressedEntriesAreNotCalledZeroAndZeroEntriesAre() throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "raw", "src.raw", "4M");
        Qemu.io(dir, java.util.List.of("-f", "raw"), "src.raw", "write -P 0x11 0 1M");
        Qemu.img(dir, "convert", "-c", "-f", "raw", "-O", "qcow2", "src.raw", "c.qcow2");
        MainViewModel vm = TestImages.open(dir.resolve("c.qcow2"));
        vm.tables().selectL1(0);
        var rows = vm.tables().l2Rows();
        long odd = rows.stream().filter(r -> r.type() == io.qcowscope.engine.format.ClusterType.COMPRESSED)
                .filter(r -> (r.word0() & 1) != 0).count();
        assertTrue(odd > 0, "qemu-img packs compressed clusters at byte offsets, some odd: " + rows.subList(0, 16));
        for (TablesViewModel.L2Row r : rows) {
            if (r.type() == io.qcowscope.engine.format.ClusterType.COMPRESSED) {
                assertEquals("COMPRESSED", r.flags(), "entry " + r.index() + " " + r.rawHex());
            }
        }
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "z.qcow2", "4M");
        Qemu.io(dir, "z.qcow2", "write -z 0 64k");
        MainViewModel z = TestImages.open(dir.resolve("z.qcow2"));
        z.tables().selectL1(0);
        assertEquals("ZERO", z.tables().l2Rows().get(0).flags(), "qemu-io write -z: the ZERO flag");
    }
}

package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.check.Severity;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.testkit.Qemu;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The findings tab of a damaged qemu-made image counts what {@code qemu-img check --output=json} counts (spec 5.7). */
class FindingsMatchQemuCheckTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    @Test
    void zeroedL2EntryIsOneLeakAsForQemu() throws Exception {
        Path img = TestImages.withLeak(dir, 5);
        MainViewModel vm = TestImages.open(img);
        assertCountsMatchQemu(vm, img);
        Finding leak = vm.findings().findings().get(0);
        assertEquals(Severity.LEAK, leak.severity());
        assertEquals(HostClusterRole.LEAKED, vm.hostMap().roleOf(leak.hostCluster()));
        vm.findings().open(leak);
        assertEquals(leak.hostCluster(), vm.selection().hostClusterProperty().get());
    }

    @Test
    void duplicatedL2EntryIsACorruptionAndALeakAsForQemu() throws Exception {
        Path img = TestImages.withLeak(dir, 5);
        copyL2Entry(img, 0, 6);
        MainViewModel vm = TestImages.open(img);
        JsonNode q = assertCountsMatchQemu(vm, img);
        assertTrue(q.path("corruptions").asLong() > 0, q.toString());
        long shared = vm.findings().findings().stream().filter(f -> f.severity() == Severity.CORRUPTION)
                .findFirst().orElseThrow().hostCluster();
        var row = vm.refcounts().block().get((int) shared);
        assertEquals(1, row.stored());
        assertEquals(2, row.found(), "two L2 entries point at the cluster");
        assertTrue(row.mismatch());
    }

    /** A clean image QEMU snapshotted shows no finding at all, warnings included (issue 11 item 8). */
    @Test
    void cleanSnapshottedImageHasNoFindings() throws Exception {
        Path img = dir.resolve("snap.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", img.toString(), "16M");
        Qemu.io(dir, img.toString(), "write -P 1 0 256k");
        Qemu.img(dir, "snapshot", "-c", "one", img.toString());
        Qemu.io(dir, img.toString(), "write -P 2 64k 64k");
        Qemu.img(dir, "snapshot", "-c", "two", img.toString());
        MainViewModel vm = TestImages.open(img);
        assertCountsMatchQemu(vm, img);
        assertEquals(java.util.List.of(), vm.findings().findings());
    }

    private static JsonNode assertCountsMatchQemu(MainViewModel vm, Path img) throws Exception {
        assertTrue(vm.layoutReadyProperty().get(), vm.errorProperty().get());
        var r = Qemu.run(img.getParent(), 60, "qemu-img", "check", "--output=json", img.getFileName().toString());
        JsonNode q = new ObjectMapper().readTree(r.stdout());
        var findings = vm.findings().findings();
        assertEquals(q.path("leaks").asLong(0), count(findings, Severity.LEAK), findings.toString());
        assertEquals(q.path("corruptions").asLong(0), count(findings, Severity.CORRUPTION), findings.toString());
        assertEquals(q.path("check-errors").asLong(0), count(findings, Severity.CHECK_ERROR), findings.toString());
        assertTrue(vm.findings().summaryProperty().get().startsWith(
                io.qcowscope.engine.format.Plural.of(q.path("corruptions").asLong(0), "corruption") + ", "
                + io.qcowscope.engine.format.Plural.of(q.path("leaks").asLong(0), "leaked cluster")), vm.findings().summaryProperty().get());
        return q;
    }

    private static long count(java.util.List<Finding> fs, Severity s) {
        return fs.stream().filter(f -> f.severity() == s).count();
    }

    /** Copies the first L2 table's entry {@code from} over entry {@code to} (spec 3.3: 8-byte big-endian entries). */
    private static void copyL2Entry(Path p, int from, int to) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(40);
            f.seek(f.readLong());
            long l2 = f.readLong() & 0x00FFFFFFFFFFFE00L;
            f.seek(l2 + 8L * from);
            long e = f.readLong();
            f.seek(l2 + 8L * to);
            f.writeLong(e);
        }
    }
}

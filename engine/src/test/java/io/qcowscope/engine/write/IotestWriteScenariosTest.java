package io.qcowscope.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.io.NativeFile;
import io.qcowscope.engine.testkit.L2Dump;
import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.write.QemuIoDifferentialTest.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * qemu-iotests write scenarios (271, 290) and the reproductions of issue 11 item 1, each op its own qemu-io run and its
 * own engine session as the iotests run them; raw active L2 entries compared host offsets included.
 */
class IotestWriteScenariosTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void backing() {
        Qemu.requireInstalled();
        QemuIoDifferentialTest.ffBacking(dir, "2083k");
    }

    private static Scenario perProcess(String name, String opts, String backing, List<String> setup, String... ops) {
        return new Scenario(name, opts, backing, setup.toArray(new String[0]), ops, true, true);
    }

    /** 271 "Zero + unmap 1" setup: clusters 9-17 written, then the cluster-aligned, subcluster-aligned, unaligned unmaps. */
    private static List<String> zeroUnmap1() {
        return List.of("write -q -P 1 576k 576k", "write -q -z -u 576k 192k", "write -q -z -u 800k 128k",
                "write -q -z -u 991k 128k");
    }

    @ParameterizedTest(name = "backing file: {0}")
    @ValueSource(booleans = {true, false})
    void iotest271ZeroUnmapAllocated(boolean backing) throws Exception {
        QemuIoDifferentialTest.assertSameAsQemu(dir, perProcess("271 zero + unmap 1", "extended_l2=on",
                backing ? "ff.raw" : null, List.of("write -q -P 1 576k 576k"),
                zeroUnmap1().subList(1, 4).toArray(new String[0])), "2083k");
    }

    /** 271 "Zero + unmap 2: compressed clusters": QEMU allocates the COW of clusters 21-23 and 24-26 as one run each. */
    @ParameterizedTest(name = "backing file: {0}")
    @ValueSource(booleans = {true, false})
    void iotest271ZeroUnmapCompressed(boolean backing) throws Exception {
        List<String> setup = new ArrayList<>(zeroUnmap1());
        for (int c = 18; c <= 28; c++) {
            setup.add("write -q -c -P " + (c - 16) + " " + c * 64 + "k 64k");
        }
        QemuIoDifferentialTest.assertSameAsQemu(dir, perProcess("271 zero + unmap 2", "extended_l2=on",
                backing ? "ff.raw" : null, setup, "write -q -z -u 1152k 192k", "write -q -z -u 1376k 128k",
                "write -q -z -u 1567k 129k", "write -q -z -u 1759k 128k"), "2083k");
    }

    /** A write over two unallocated clusters gets two contiguous clusters, past a one-cluster hole (alloc_clusters_noref). */
    @Test
    void multiClusterWriteSkipsTooSmallHole() throws Exception {
        QemuIoDifferentialTest.assertSameAsQemu(dir, perProcess("hole too small", "", null,
                List.of("write -q -P 1 0 192k", "discard -q 64k 64k"), "write -q -P 2 1M 128k", "write -q -P 3 2M 64k"),
                "4M");
    }

    /** After a kept cluster the next one goes right behind it when that host cluster is free (alloc_clusters_at). */
    @Test
    void writeAfterKeptClusterContinuesItsHostRange() throws Exception {
        QemuIoDifferentialTest.assertSameAsQemu(dir, perProcess("contiguous after kept", "", null,
                List.of("write -q -P 1 1M 64k", "write -q -P 2 0 64k", "discard -q 1M 64k"), "write -q -P 3 0 128k",
                "write -q -P 4 3M 64k"), "4M");
    }

    /** A request crossing an L2 table: the new table takes the cluster behind the run, so the rest starts a new run. */
    @Test
    void writeAcrossL2TablesStartsANewRun() throws Exception {
        QemuIoDifferentialTest.assertSameAsQemu(dir, perProcess("across L2 tables", "cluster_size=4k", null,
                List.of("write -q -P 1 0 8k", "discard -q 0 4k"), "write -q -P 2 2000k 200k"), "8M");
    }

    /**
     * 290: write all clusters, then discard (or zero with unmap) them, each its own process, on v2 and v3, with and
     * without a backing file: the same L2 entries and the same allocated size (st_blocks) as qemu-io, whose discard
     * punches holes in the freed clusters.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"0.10,false,discard -q 0 128k", "1.1,false,discard -q 0 128k", "0.10,true,discard -q 0 128k",
            "1.1,true,discard -q 0 128k", "1.1,false,write -q -z -u 0 128k", "1.1,true,write -q -z -u 0 128k",
            "1.1,false,write -q -z -u 64k 64k"})
    void iotest290DiscardFreesHostSpace(String compat, boolean backing, String op) throws Exception {
        Path work = Files.createTempDirectory(dir, "290");
        Qemu.img(work, "create", "-f", "qcow2", "base.qcow2", "128k");
        Qemu.io(work, "base.qcow2", "write -q -P 0xff 0 128k");
        for (String name : List.of("theirs.qcow2", "ours.qcow2")) {
            List<String> create = new ArrayList<>(List.of("create", "-f", "qcow2", "-o", "compat=" + compat));
            if (backing) {
                create.addAll(List.of("-b", "base.qcow2", "-F", "qcow2"));
            }
            create.addAll(List.of(name, "128k"));
            Qemu.img(work, create.toArray(new String[0]));
        }
        for (String c : List.of("write -q -P 0x01 0 128k", op)) {
            Qemu.io(work, "theirs.qcow2", c);
            try (WritableImage w = WritableImage.open(work.resolve("ours.qcow2"))) {
                QemuIoScript.applyOne(w, c);
            }
        }
        Qemu.img(work, "compare", "ours.qcow2", "theirs.qcow2");
        assertEquals(0, Qemu.imgAllowFail(work, "check", "ours.qcow2").exitCode());
        assertEquals(String.join("\n", L2Dump.of(work.resolve("theirs.qcow2"))),
                String.join("\n", L2Dump.of(work.resolve("ours.qcow2"))));
        assertEquals(allocated(work.resolve("theirs.qcow2")), allocated(work.resolve("ours.qcow2")),
                "allocated bytes (st_blocks * 512), theirs vs ours");
        assertEquals(Files.size(work.resolve("theirs.qcow2")), Files.size(work.resolve("ours.qcow2")));
    }

    private static long allocated(Path p) throws IOException {
        try (NativeFile f = NativeFile.open(p, false)) {
            assertTrue(f.isNative(), "st_blocks needs the native file layer");
            return f.allocatedBytes();
        }
    }
}

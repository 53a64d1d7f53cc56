package io.qcowscope.engine.write;

import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.write.QemuIoDifferentialTest.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
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
        Qemu.img(dir, "create", "-f", "raw", "ff.raw", "2083k");
        Qemu.io(dir, List.of("-f", "raw"), "ff.raw", "write -q -P 0xFF 0 2083k");
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
}

package io.qcowscope.app.ui.viewmodel.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.app.cli.Cli;
import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab and {@code qcowscope bench} run one engine workload: the same seed gives the same figures. */
class LabViewModelTest {
    @TempDir
    Path dir;

    @Test
    void labAtTinyScaleGivesTheImageSizesOfBenchWithTheSameSeed() throws Exception {
        Qemu.requireInstalled();
        LabViewModel vm = new LabViewModel(new SyncTaskExecutor(), true);
        vm.setScratchDirectory(dir);
        vm.virtualSizeProperty().set(256L << 20);
        vm.totalBytesProperty().set(1L << 20);
        vm.seedProperty().set(11);
        for (int i = 2; i < LabViewModel.CLUSTER_SIZES.length; i++) {
            vm.clusterSizeChoices().get(i).set(false); // 64k and 128k only
        }
        vm.qemuProperty().set(true);
        vm.run();
        assertFalse(vm.runningProperty().get(), vm.statusProperty().get());
        assertEquals(8, vm.rows().size(), vm.statusProperty().get());

        Cli.Run bench = Cli.run("bench", "--virtual-size", "256M", "--total", "1M", "--seed", "11", "--cluster-sizes",
                "64k,128k", "--no-qemu", "--output", "json", "--dir", dir.resolve("bench").toString());
        assertEquals(0, bench.exitCode(), bench.stderr());
        JsonNode rows = new ObjectMapper().readTree(bench.stdout());
        assertEquals(8, rows.size());
        for (LabRow r : vm.rows()) {
            JsonNode match = null;
            for (JsonNode b : rows) {
                if (b.get("backing").asBoolean() == r.config().backing()
                        && b.get("extended-l2").asBoolean() == r.config().extendedL2()
                        && parse(b.get("cluster-size").asText()) == r.config().clusterSize()) {
                    match = b;
                }
            }
            assertNotNull(match, r.seriesLabel() + " " + r.clusterLabel());
            var ours = r.oursProperty().get();
            assertEquals(match.get("qcowscope").get("image-size").asLong(), ours.imageSize(), r.seriesLabel());
            assertEquals(match.get("qcowscope").get("host-bytes-written").asLong(), ours.hostBytesWritten());
            assertEquals(match.get("qcowscope").get("cow-bytes").asLong(), ours.cowBytes());
            assertEquals("done", r.stateProperty().get());
            assertEquals(1.0, r.progressProperty().get());
            // the QEMU column ran the same offsets: QEMU's image has the same size
            assertEquals(r.qemuProperty().get().imageSize(), ours.imageSize(), "QEMU vs ours " + r.seriesLabel());
        }
        String csv = vm.csv();
        assertEquals(9, csv.lines().count(), csv);
        assertTrue(csv.lines().skip(1).allMatch(l -> l.split(",", -1).length == 14), csv);
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "the lab's scratch directory is removed (the bench dir stays)");
        }
    }

    @Test
    void labRefusesAnEmptySelection() {
        LabViewModel vm = new LabViewModel(new SyncTaskExecutor(), false);
        vm.standardL2Property().set(false);
        vm.extendedL2Property().set(false);
        vm.run();
        assertTrue(vm.rows().isEmpty());
        assertTrue(vm.statusProperty().get().contains("at least one"), vm.statusProperty().get());
    }

    private static long parse(String s) {
        return s.endsWith("k") ? Long.parseLong(s.substring(0, s.length() - 1)) << 10
                : Long.parseLong(s.substring(0, s.length() - 1)) << 20;
    }
}

package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qcowscope bench} at a tiny scale: the median of --runs, the data backing file, the heading's words. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsGiveTheMedianOfEachEnginesRunsOverADataBackingFile() throws Exception {
        Qemu.requireInstalled();
        Cli.Run r = Cli.run("bench", "--dir", dir.toString(), "--virtual-size", "16M", "--total", "256k", "--backing",
                "true", "--extended-l2", "false", "--cluster-sizes", "64k", "--backing-data", "--runs", "3",
                "--output", "json");
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode row = TestJson.mapper().readTree(r.stdout()).get(0);
        for (String side : new String[]{"qcowscope", "qemu"}) {
            JsonNode m = row.get(side);
            JsonNode runs = m.get("writes-per-second-runs");
            assertEquals(3, runs.size(), side);
            long[] v = {runs.get(0).asLong(), runs.get(1).asLong(), runs.get(2).asLong()};
            java.util.Arrays.sort(v);
            assertEquals(v[1], m.get("writes-per-second").asLong(), side + " median");
        }
        assertEquals(row.get("qemu").get("image-size").asLong(), row.get("qcowscope").get("image-size").asLong());
        // every COW region copies data: 64 writes of 4 KiB, most into a new 64 KiB cluster (the other 60 KiB copied;
        // a few land in a cluster an earlier write allocated)
        assertTrue(row.get("qcowscope").get("cow-bytes").asLong() >= 48L * 61440, r.stdout());
        assertTrue(row.get("qcowscope").get("host-bytes-written").asLong()
                >= row.get("qcowscope").get("cow-bytes").asLong(), r.stdout());
    }

    @Test
    void theTableSaysHowEachSideIsTimedAndWhatTheBackingFileHolds() {
        Qemu.requireInstalled();
        Cli.Run r = Cli.run("bench", "--dir", dir.toString(), "--virtual-size", "16M", "--total", "64k", "--backing",
                "true", "--extended-l2", "true", "--cluster-sizes", "64k", "--runs", "2");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("ours: a fresh JVM per row, timed whole; backing file: a hole but for its last"
                + " byte; writes/s: medians of 2 runs"), r.stdout());
        assertTrue(r.stdout().contains("| yes | 64k | on |"), r.stdout());
    }
}

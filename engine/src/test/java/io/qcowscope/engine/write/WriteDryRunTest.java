package io.qcowscope.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dry run leaves the file byte for byte as it was, and what it predicts (every L2 entry and bitmap, host offsets
 * included) is what the engine's real write then produces and what qemu-io writes, each on its own copy.
 */
class WriteDryRunTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void images() {
        Qemu.requireInstalled();
        QemuIoDifferentialTest.ffBacking(dir, "8M");
    }

    record Case(String name, String opts, boolean backing, String[] setup, long offset, long length) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String[] none = {};
        return Stream.of(
                new Case("ext-L2 over backing, unaligned 4k", "extended_l2=on", true, none, 0x11200, 4096),
                new Case("standard L2 over backing, unaligned 4k", "", true, none, 0x11200, 4096),
                new Case("ext-L2 into a partly allocated cluster", "extended_l2=on", true,
                        new String[]{"write -P 1 0 8k"}, 0x6000, 4096),
                new Case("standard L2 in place (COPIED)", "", false, new String[]{"write -P 1 0 64k"}, 0x100, 512),
                new Case("4k clusters across an L2 table boundary", "cluster_size=4k", false,
                        new String[]{"write -P 1 2M 4k"}, (2L << 20) - 3000, 6000),
                new Case("ext-L2 16k clusters across two clusters", "extended_l2=on,cluster_size=16k", true,
                        new String[]{"write -P 1 16k 1k"}, 16384 - 3000, 6000),
                new Case("standard L2 zero cluster", "", false, new String[]{"write -z 0 64k"}, 0x2000, 4096),
                new Case("shared with a snapshot", "", false, new String[]{"write -P 1 0 128k"}, 0x10000, 4096),
                new Case("compressed cluster", "extended_l2=on", false, new String[]{"write -c -P 7 0 64k"}, 0x1000, 512));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void dryRunPredictsEngineAndQemuAndLeavesFileUnchanged(Case c) throws Exception {
        String name = c.name().replaceAll("[^a-zA-Z0-9]", "_") + ".qcow2";
        Path img = dir.resolve(name);
        if (c.backing()) {
            Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", c.opts().isEmpty() ? "cluster_size=64k" : c.opts(),
                    "-b", "ff.raw", "-F", "raw", name, "8M");
        } else {
            Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", c.opts().isEmpty() ? "cluster_size=64k" : c.opts(),
                    name, "8M");
        }
        if (c.setup().length > 0) {
            Qemu.io(dir, name, c.setup());
        }
        if (c.name().contains("snapshot")) {
            Qemu.img(dir, "snapshot", "-c", "s1", name);
        }
        String sha = sha256(img);
        WritePlan plan = WriteDryRun.plan(img, OpenOptions.readOnly(), c.offset(), c.length(), (byte) 0x5a);
        assertEquals(sha, sha256(img), "the dry run changed the file");

        Path ours = dir.resolve("ours-" + name);
        Path theirs = dir.resolve("qemu-" + name);
        Files.copy(img, ours, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(img, theirs, StandardCopyOption.REPLACE_EXISTING);
        byte[] data = new byte[(int) c.length()];
        java.util.Arrays.fill(data, (byte) 0x5a);
        try (WritableImage w = WritableImage.open(ours)) {
            w.write(c.offset(), data);
        }
        Qemu.io(dir, theirs.getFileName().toString(), "write -P 0x5a " + c.offset() + " " + c.length());
        assertTrue(plan.clusters().size() >= 1);
        for (ClusterPlan cp : plan.clusters()) {
            long[] e = entry(ours, cp.guestOffset());
            long[] q = entry(theirs, cp.guestOffset());
            String where = c + " guest 0x" + Long.toHexString(cp.guestOffset());
            assertEquals(hex(q), hex(e), "engine vs qemu-io at " + where);
            assertEquals(hex(e), hex(new long[]{cp.newWord0(), cp.newBitmap()}), "dry run vs engine at " + where);
        }
        for (WritePlan.L2Change ch : plan.l2Changes()) {
            long[] e = entry(ours, ch.guestOffset());
            assertEquals(hex(e), hex(new long[]{ch.word0After(), ch.bitmapAfter()}), "L2 change of " + c);
        }
        assertEquals(0, Qemu.img(dir, "check", ours.getFileName().toString()).exitCode());
        assertEquals(0, Qemu.img(dir, "compare", ours.getFileName().toString(),
                theirs.getFileName().toString()).exitCode());
        assertFalse(!plan.l2Changes().isEmpty() && plan.clusters().stream()
                .allMatch(cp -> cp.decision() == ClusterPlan.Decision.IN_PLACE), "in place yet L2 changed: " + c);
        // spec B.3: refcount increments are flushed before the L2 entries that use them, L2 before L1
        int firstL2 = plan.l2Changes().stream().mapToInt(WritePlan.L2Change::phase).min().orElse(Integer.MAX_VALUE);
        plan.refcountChanges().stream().filter(WritePlan.RefcountChange::increment)
                .forEach(r -> assertTrue(r.phase() < firstL2, "increment not flushed before L2: " + c));
        int lastL2 = plan.l2Changes().stream().mapToInt(WritePlan.L2Change::phase).max().orElse(-1);
        plan.l1Changes().forEach(l -> assertTrue(l.phase() > lastL2, "L1 before L2: " + c));
        plan.refcountChanges().stream().filter(r -> !r.increment())
                .forEach(r -> assertTrue(r.phase() > lastL2, "decrement before L2: " + c));
    }

    @Test
    void dryRunDescribesCowSourcesAndAllocation() throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "-b", "ff.raw", "-F", "raw",
                "cow.qcow2", "8M");
        Path img = dir.resolve("cow.qcow2");
        long size = Files.size(img);
        // 1 KiB inside subcluster 2 (2 KiB subclusters) of cluster 1: COW head and tail come from the backing file
        WritePlan p = WriteDryRun.plan(img, OpenOptions.readOnly(), 0x10000 + 4096 + 512, 1024, (byte) 1);
        ClusterPlan c = p.clusters().get(0);
        assertEquals(ClusterPlan.Decision.NEW_CLUSTER, c.decision());
        assertEquals(ClusterPlan.Reason.UNALLOCATED, c.reason());
        assertEquals(2, c.firstSubcluster());
        assertEquals(4096, c.head().start());
        assertEquals(4096 + 512, c.head().end());
        assertEquals(CowSource.BACKING_FILE, c.head().sources().get(0).source());
        assertEquals(4096 + 1536, c.tail().start());
        assertEquals(6144, c.tail().end());
        assertEquals(1024, p.cowBytes());
        assertTrue(c.cowWritten());
        assertTrue(c.newL2Table());
        // first fit: a fresh image's first free cluster is at the end of the file; then the L2 table after it
        long end = (size + 65535) & ~65535L;
        assertEquals(end + 65536, L2Entry.hostOffset(c.newWord0()), "data follows the new L2 table at the end");
        assertEquals(1L << 2, c.newBitmap());
        assertEquals(2, p.clustersAllocated());
        assertEquals(size, p.fileSizeBefore());
    }

    static long[] entry(Path image, long guest) throws IOException {
        try (Qcow2Image img = Qcow2Image.open(image, OpenOptions.readOnly().withBackingChain(false))) {
            var g = img.geometry();
            long l2 = L1Entry.l2Offset(img.l1Entry(g.l1Index(guest)));
            if (l2 == 0) {
                return new long[]{0, 0};
            }
            L2Table t = img.l2Table(l2);
            return new long[]{t.word0(g.l2Index(guest)), t.bitmap(g.l2Index(guest))};
        }
    }

    private static String hex(long[] e) {
        return "0x" + Long.toHexString(e[0]) + "/0x" + Long.toHexString(e[1]);
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}

package io.qcowscope.engine.layout;

import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.CancelledException;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HostLayout} of qemu-made images: every cluster accounted for, data clusters where qemu-img map puts them. */
class HostLayoutQemuTest {
    private static final Pattern EXTENT = Pattern.compile(
            "\"start\": (\\d+), \"length\": (\\d+), \"depth\": (\\d+).*?\"offset\": (\\d+)");

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"compat=1.1", "compat=0.10", "extended_l2=on", "cluster_size=4k", "refcount_bits=1"})
    void everyClusterIsAccountedForAndDataAgreesWithMap(String options) throws Exception {
        Path img = dir.resolve("l.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", options, img.toString(), "64M");
        Qemu.io(dir, img.toString(), "write -P 1 0 256k", "write -P 2 5M 8k", "write -z 9M 64k");
        if (!options.equals("compat=0.10") && !options.equals("refcount_bits=1")) {
            Qemu.img(dir, "snapshot", "-c", "one", img.toString());
            Qemu.io(dir, img.toString(), "write -P 3 64k 64k", "write -P 4 20M 4k");
        }
        if (!options.contains("cluster_size") && !options.equals("refcount_bits=1")) {
            Qemu.io(dir, img.toString(), "write -c -P 5 30M 64k", "write -c -P 6 31M 64k");
        }
        try (Qcow2Image image = open(img)) {
            HostLayout layout = HostLayout.build(image, ProgressMonitor.NONE);
            assertEquals(0, layout.check().exitCode(), () -> layout.check().findings().toString());
            long cs = layout.clusterSize();
            assertEquals((layout.fileLength() + cs - 1) / cs, layout.clusterCount());
            assertEquals(layout.clusterCount(), layout.runs().stream().mapToLong(LayoutRun::length).sum());
            for (long c = 0; c < layout.clusterCount(); c++) {
                HostClusterRole r = layout.role(c);
                long refcount = image.refcounts().refcount(c);
                // A clean image: claimed exactly as often as its refcount says; unclaimed iff refcount 0.
                assertEquals(refcount, layout.claimCount(c), "cluster " + c + " " + r);
                assertEquals(refcount == 0, r == HostClusterRole.FREE, "cluster " + c + " " + r);
                assertTrue(r != HostClusterRole.OVERLAP && r != HostClusterRole.LEAKED);
            }
            assertEquals(HostClusterRole.HEADER, layout.role(0));
            assertMapAgrees(img, layout);
            assertEquals(layout.summary().bytesPerRole().values().stream().mapToLong(Long::longValue).sum(),
                    layout.clusterCount() * cs);
        }
    }

    /** Every guest cluster qemu-img map gives a host offset is a data cluster whose owners include that guest cluster. */
    private void assertMapAgrees(Path img, HostLayout layout) {
        String map = Qemu.img(dir, "map", "--output=json", img.toString()).stdout();
        long cs = layout.clusterSize();
        int checked = 0;
        Matcher m = EXTENT.matcher(map);
        while (m.find()) {
            long start = Long.parseLong(m.group(1));
            long length = Long.parseLong(m.group(2));
            long offset = Long.parseLong(m.group(4));
            for (long g = start; g < start + length; g = (g / cs + 1) * cs) {
                long guestCluster = g / cs * cs;
                long host = (offset + (g - start)) / cs;
                assertEquals(HostClusterRole.DATA, layout.role(host), "host cluster " + host);
                boolean owned = layout.owners(host).stream().anyMatch(o -> o.role() == HostClusterRole.DATA
                        && Owner.table(o.owner()) == 0 && o.guestOffset() == guestCluster);
                assertTrue(owned, "guest " + guestCluster + " -> host cluster " + host + ": " + layout.owners(host));
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    @Test
    void compressedClustersCountTheirSharers() throws Exception {
        Path img = dir.resolve("c.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", img.toString(), "64M");
        Qemu.io(dir, img.toString(), "write -c -P 1 0 64k", "write -c -P 1 64k 64k", "write -c -P 1 128k 64k");
        try (Qcow2Image image = open(img)) {
            HostLayout layout = HostLayout.build(image, ProgressMonitor.NONE);
            List<ClusterOwner> owners = layout.owners(5);
            assertEquals(HostClusterRole.COMPRESSED, layout.role(5));
            assertEquals(3, owners.size(), owners::toString);
            assertEquals(List.of(0L, 65536L, 131072L), owners.stream().map(ClusterOwner::guestOffset).toList());
        }
    }

    @Test
    void overlapAndReferencesPastTheEndAreReported() throws Exception {
        Path img = dir.resolve("o.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", img.toString(), "64M");
        Qemu.io(dir, img.toString(), "write 0 128k");
        // L2 at 0x40000: entry 1 -> the refcount block at 0x20000; entry 2 -> 1 MiB past the end of the file.
        putLong(img, 0x40008, (1L << 63) | 0x20000);
        putLong(img, 0x40010, (1L << 63) | 0x200000);
        try (Qcow2Image image = open(img)) {
            HostLayout layout = HostLayout.build(image, ProgressMonitor.NONE);
            assertEquals(HostClusterRole.OVERLAP, layout.role(2));
            assertEquals(List.of(HostClusterRole.DATA, HostClusterRole.REFCOUNT_BLOCK),
                    layout.owners(2).stream().map(ClusterOwner::role).toList());
            assertEquals(HostClusterRole.LEAKED, layout.role(6), "the old data cluster of entry 1");
            assertEquals(1, layout.beyondEnd().size());
            assertEquals(0x200000, layout.beyondEnd().get(0).offset());
            assertEquals("L1[0] -> L2[2]", layout.beyondEnd().get(0).path());
            assertEquals(1, layout.summary().overlapClusters());
            assertEquals(65536, layout.summary().leakedBytes());
        }
    }

    @Test
    void anUnreadableSnapshotTableStillGivesACompleteLayout() throws Exception {
        Path img = dir.resolve("u.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", img.toString(), "64M");
        Qemu.io(dir, img.toString(), "write 0 128k");
        putLong(img, 64, 0x1200);
        try (Qcow2Image image = open(img)) {
            HostLayout layout = HostLayout.build(image, ProgressMonitor.NONE);
            assertEquals(HostClusterRole.DATA, layout.role(5));
            assertEquals(HostClusterRole.DATA, layout.role(6));
            assertEquals(1, layout.check().checkErrors(), "the snapshot table finding is kept");
        }
    }

    @Test
    void progressIsReportedWithinItsTotal() throws Exception {
        Path img = dir.resolve("p.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=4k", img.toString(), "64M");
        Qemu.io(dir, img.toString(), "write 0 8M");
        List<long[]> calls = new java.util.ArrayList<>();
        ProgressMonitor record = new ProgressMonitor() {
            @Override
            public void progress(long done, long total) {
                calls.add(new long[]{done, total});
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
        try (Qcow2Image image = open(img)) {
            HostLayout.build(image, record);
        }
        assertTrue(calls.size() > 1, "progress reported " + calls.size() + " times");
        for (long[] c : calls) {
            assertTrue(c[0] >= 0 && c[0] <= c[1], c[0] + " of " + c[1]);
        }
    }

    @Test
    void cancellationStopsTheBuild() throws Exception {
        Path img = dir.resolve("x.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", img.toString(), "64M");
        Qemu.io(dir, img.toString(), "write 0 1M");
        ProgressMonitor cancelled = new ProgressMonitor() {
            @Override
            public void progress(long done, long total) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        try (Qcow2Image image = open(img)) {
            assertThrows(CancelledException.class, () -> HostLayout.build(image, cancelled));
        }
    }

    private static Qcow2Image open(Path img) throws IOException {
        return Qcow2Image.open(img, OpenOptions.readOnly().withCheckMode(true).withBackingChain(false));
    }

    private static void putLong(Path file, long offset, long value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).putLong(0, value), offset);
        }
    }
}

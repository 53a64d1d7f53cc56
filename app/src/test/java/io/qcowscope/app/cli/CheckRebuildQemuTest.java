package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code check -r all} where QEMU 7.2 rebuilds the refcount structure and the image has free clusters: a leak (guest
 * cluster 1's L2 entry cleared) and a referenced data cluster with refcount 0 (guest cluster 2's). The new refcount
 * blocks and table reuse the first free clusters, as rebuild_refcount_structure places them, and the leak pass after it
 * discards the old structure: the repaired file is byte for byte qemu-img's (spec 5.5).
 */
class CheckRebuildQemuTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    static Stream<Arguments> cases() {
        String three64k = "write -P 0x11 0 64k;write -P 0x22 64k 64k;write -P 0x33 128k 64k";
        return Stream.of(
                Arguments.of("leak-and-zero", "cluster_size=65536", "4M", three64k),
                Arguments.of("extended-l2", "extended_l2=on,cluster_size=65536", "4M", three64k),
                Arguments.of("with-discarded-hole", "cluster_size=65536", "64M",
                        three64k + ";write -P 0x44 1M 4M;discard 2M 1M"),
                // 256 entries per block: three refcount blocks, one of them placed inside the range it describes
                Arguments.of("several-refblocks", "cluster_size=512,refcount_bits=16", "1M",
                        "write -P 0x11 0 512;write -P 0x22 512 512;write -P 0x33 1024 512;write -P 0x44 64k 256k"),
                // 64 entries per block, 64 per table cluster: the table grows to two clusters and is placed twice
                Arguments.of("two-cluster-reftable", "cluster_size=512,refcount_bits=64", "8M",
                        "write -P 0x11 0 512;write -P 0x22 512 512;write -P 0x33 1024 512;write -P 0x44 4096 3M"),
                Arguments.of("one-bit-refcounts", "cluster_size=4096,refcount_bits=1", "4M",
                        "write -P 0x11 0 4k;write -P 0x22 4k 4k;write -P 0x33 8k 4k;write -P 0x44 16k 64k"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rebuildIsByteIdenticalToQemu(String name, String options, String size, String writes) throws Exception {
        Path d = Files.createDirectories(root.resolve(name));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", options, "a.qcow2", size);
        Qemu.io(d, "a.qcow2", writes.split(";"));
        ImageBytes b = new ImageBytes(d.resolve("a.qcow2"));
        boolean extended = (b.u64(72) & 16) != 0;
        int entry = extended ? 16 : 8;
        long l2 = b.l2Table(0);
        long data = b.u64(l2 + 2L * entry) & 0x00fffffffffffe00L;
        b.u64(l2 + entry, 0);
        if (extended) {
            b.u64(l2 + entry + 8, 0);
        }
        setRefcountZero(b, data);
        long oldTable = b.reftableOffset();
        Files.copy(d.resolve("a.qcow2"), d.resolve("q.qcow2"));
        Files.copy(d.resolve("a.qcow2"), d.resolve("o.qcow2"));

        var theirs = Qemu.imgAllowFail(d, "check", "-r", "all", "--output=json", "q.qcow2");
        assertTrue(theirs.stderr().contains("Rebuilding refcount structure"), name + ": QEMU rebuilds\n"
                + theirs.stderr());
        Cli.Run ours = Cli.run("check", "-r", "all", "--output=json", d.resolve("o.qcow2").toString());
        assertEquals(theirs.exitCode(), ours.exitCode(), name + ": exit code\n" + ours.stdout() + ours.stderr());
        assertEquals(0, theirs.exitCode(), name + ": qemu-img repaired it\n" + theirs.stderr());
        ImageBytes q = new ImageBytes(d.resolve("q.qcow2"));
        ImageBytes o = new ImageBytes(d.resolve("o.qcow2"));
        assertNotEquals(oldTable, o.reftableOffset(), name + ": a new refcount table");
        assertEquals(q.reftableOffset(), o.reftableOffset(), name + ": refcount table offset");
        assertEquals(q.u32(56), o.u32(56), name + ": refcount table clusters");
        assertEquals(q.size(), o.size(), name + ": file length");
        SameBytes.assertSameBytes(d.resolve("q.qcow2"), d.resolve("o.qcow2"), name);
        assertEquals(0, Qemu.imgAllowFail(d, "check", "o.qcow2").exitCode(), name + ": qemu-img check after ours");
    }

    /** The refcount entry of the cluster at {@code offset}, at the image's refcount width (spec 3.3), set to 0. */
    private static void setRefcountZero(ImageBytes b, long offset) throws Exception {
        int order = (int) b.u32(96);
        int clusterBits = (int) b.u32(20);
        int bits = 1 << order;
        long perBlock = (8L << clusterBits) / bits;
        long cluster = offset >>> clusterBits;
        long block = b.refblock((int) (cluster / perBlock));
        long bit = (cluster % perBlock) * bits;
        if (bits >= 8) {
            for (int i = 0; i < bits / 8; i++) {
                b.u8(block + bit / 8 + i, 0);
            }
        } else {
            long at = block + bit / 8;
            int shift = (int) (bit % 8);
            int old = (int) (b.u64(at) >>> 56);
            b.u8(at, old & ~(((1 << bits) - 1) << shift));
        }
    }
}

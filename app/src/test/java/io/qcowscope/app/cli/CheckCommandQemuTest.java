package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcowscope.engine.testkit.Qemu;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code qcowscope check} against {@code qemu-img check} (QEMU 7.2, spec section 5): on clean qemu-made images and on
 * byte-patched copies (spec section 9 scenarios), the JSON agrees on every qemu-img key and the exit codes are equal.
 */
class CheckCommandQemuTest {
    private static final long COPIED = 1L << 63;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    /** The outcome of one check: exit code, stdout JSON (null when nothing was printed) and stderr. */
    record Verdict(int exit, JsonNode json, String stderr) {
        List<String> kinds() {
            List<String> out = new ArrayList<>();
            if (json != null) {
                json.path("qcowscope").path("findings").forEach(f -> out.add(f.path("kind").asText()));
            }
            return out;
        }
    }

    // ---- clean images (the interop set) ----

    @ParameterizedTest
    @ValueSource(strings = {
        "compat=1.1",
        "compat=0.10",
        "cluster_size=512",
        "cluster_size=4k",
        "cluster_size=2M",
        "extended_l2=on",
        "extended_l2=on,cluster_size=128k",
        "refcount_bits=1",
        "refcount_bits=2",
        "refcount_bits=4",
        "refcount_bits=8",
        "refcount_bits=32",
        "refcount_bits=64",
        "lazy_refcounts=on",
        "preallocation=metadata",
        "compression_type=zstd"})
    void cleanImageAgreesWithQemu(String options) throws Exception {
        // Compressed writes must cover whole clusters and cannot go to preallocated ones.
        String cs = options.contains("cluster_size=") ? options.replaceAll(".*cluster_size=([^,]+).*", "$1") : "64k";
        List<String> writes = new ArrayList<>(List.of("write -P 1 0 128k", "write -P 2 3M 8k", "write -z 8M 64k"));
        if (!options.contains("preallocation")) {
            writes.add("write -c -P 3 16M " + cs);
            writes.add("write -c -P 4 20M " + cs);
        }
        Path img = create("c.qcow2", options, "64M", writes.toArray(new String[0]));
        Verdict v = assertSameVerdict(img);
        assertEquals(0, v.exit());
        assertTrue(v.json().path("allocated-clusters").asLong() > 0);
    }

    @Test
    void emptyImageAgreesWithQemu() throws Exception {
        assertEquals(0, assertSameVerdict(create("e.qcow2", "compat=1.1", "1G")).exit());
    }

    @Test
    void extendedL2SubclustersAgreeWithQemu() throws Exception {
        Path img = create("x.qcow2", "extended_l2=on", "64M", "write 0 1k", "write 3k 512", "write 63k 4k",
                "write -z 2k 2k", "write -z -u 128k 64k", "write -c 1M 64k");
        assertEquals(0, assertSameVerdict(img).exit());
    }

    @Test
    void snapshotsAgreeWithQemu() throws Exception {
        Path img = create("s.qcow2", "compat=1.1", "64M", "write 0 256k", "write -c 1M 64k");
        Qemu.img(dir, "snapshot", "-c", "one", img.toString());
        Qemu.io(dir, img.toString(), "write -P 9 64k 64k", "write 2M 64k");
        Qemu.img(dir, "snapshot", "-c", "two", img.toString());
        Qemu.io(dir, img.toString(), "write -P 7 0 64k");
        Verdict v = assertSameVerdict(img);
        assertEquals(0, v.exit());
        // a clean image QEMU snapshotted: no finding and no warning (its snapshot L1 copies keep COPIED, spec 4.2)
        assertEquals(List.of(), v.kinds());
        assertEquals("", v.stderr());
    }

    @Test
    void overlayWithBackingAgreesWithQemu() throws Exception {
        create("base.qcow2", "compat=1.1", "64M", "write -P 5 0 1M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "top.qcow2");
        Qemu.io(dir, "top.qcow2", "write -P 6 64k 4k");
        assertEquals(0, assertSameVerdict(dir.resolve("top.qcow2")).exit());
    }

    /**
     * A missing backing file: qemu-img cannot open the image (exit 1); we keep the metadata verdict and warn, on stderr
     * and in the JSON, naming the file and saying guest reads would fail (issue 11 item 7).
     */
    @Test
    void missingBackingFileKeepsTheVerdictAndWarns() throws Exception {
        create("gone.qcow2", "compat=1.1", "64M", "write -P 5 0 1M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", "gone.qcow2", "-F", "qcow2", "orphan.qcow2");
        Qemu.io(dir, "orphan.qcow2", "write -P 6 64k 4k");
        Files.delete(dir.resolve("gone.qcow2"));
        assertEquals(1, Qemu.imgAllowFail(dir, "check", "orphan.qcow2").exitCode());
        assertBrokenChainWarning(dir.resolve("orphan.qcow2"), "gone.qcow2", "No such file or directory");
    }

    @Test
    void backingLoopKeepsTheVerdictAndWarns() throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "loop-a.qcow2", "64M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", "loop-a.qcow2", "-F", "qcow2", "loop-b.qcow2");
        Qemu.img(dir, "rebase", "-u", "-b", "loop-b.qcow2", "-F", "qcow2", "loop-a.qcow2");
        // (qemu-img check itself does not come back from this chain within minutes: not run here)
        assertBrokenChainWarning(dir.resolve("loop-b.qcow2"), "loop-b.qcow2", "infinite loop");
    }

    private static void assertBrokenChainWarning(Path img, String file, String cause) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, QcowscopeCommand.run(new PrintWriter(out), new PrintWriter(err), "check", img.toString()));
        assertTrue(out.toString().startsWith("No errors were found on the image."), out.toString());
        assertTrue(out.toString().contains("1 qcowscope warnings"), out.toString());
        assertTrue(err.toString().contains("backing file '" + file + "'"), err.toString());
        assertTrue(err.toString().contains(cause), err.toString());
        assertTrue(err.toString().contains("guest reads of this image would fail"), err.toString());
        out = new StringWriter();
        assertEquals(0, QcowscopeCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "check",
                "--output=json", img.toString()));
        JsonNode chain = Json.mapper().readTree(out.toString()).path("qcowscope").path("backing-chain");
        assertEquals(file, chain.path("file").asText(), out.toString());
        assertEquals(false, chain.path("usable").asBoolean(true));
        assertTrue(chain.path("cause").asText().contains(cause), chain.toString());
    }

    @Test
    void persistentBitmapsAgreeWithQemu() throws Exception {
        Path img = create("b.qcow2", "compat=1.1", "64M", "write 0 1M");
        Qemu.img(dir, "bitmap", "--add", img.toString(), "b0");
        Qemu.img(dir, "bitmap", "--add", "-g", "64k", img.toString(), "b1");
        assertEquals(0, assertSameVerdict(img).exit());
    }

    @Test
    void externalDataFileAgreesWithQemu() throws Exception {
        Path img = create("d.qcow2", "data_file=d.raw", "64M", "write -P 1 0 128k", "write -z 1M 64k");
        assertEquals(0, assertSameVerdict(img).exit());
    }

    @Test
    void humanSummaryReadsLikeQemuImg() throws Exception {
        Path img = create("h.qcow2", "compat=1.1", "64M", "write -P 1 0 192k", "write -c -P 2 1M 64k",
                "write -P 3 2M 64k");
        new ImageBytes(img).u64(new ImageBytes(img).l2Table(0) + 8, 0);
        Qemu.Result q = Qemu.imgAllowFail(dir, "check", img.toString());
        StringWriter out = new StringWriter();
        int exit = QcowscopeCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "check",
                img.toString());
        assertEquals(q.exitCode(), exit);
        assertEquals(3, exit);
        assertEquals(q.stdout(), out.toString());
    }

    @Test
    void snapshotL1WithCopiedBitsIsNoFinding() throws Exception {
        Path img = twoClusters("snapcopied.qcow2", "");
        Qemu.img(dir, "snapshot", "-c", "s1", img.toString());
        ImageBytes b = new ImageBytes(img);
        long snapL1 = b.u64(b.snapshotsOffset());
        assertTrue((b.u64(snapL1) & COPIED) != 0, "qemu-img snapshot -c keeps COPIED in the snapshot's L1 copy");
        Verdict v = assertSameVerdict(img);
        assertEquals(0, v.exit());
        assertEquals(List.of(), v.kinds());
    }

    @Test
    void luksEncryptedImageCountsTheEncryptionHeaderLikeQemu() throws Exception {
        Path img = dir.resolve("luks.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "--object", "secret,id=sec0,data=123456", "-o",
                "encrypt.format=luks,encrypt.key-secret=sec0", img.toString(), "64M");
        // qemu-img needs the key to open the image; qcowscope checks without it (metadata is never encrypted).
        Qemu.Result q = Qemu.imgAllowFail(dir, "check", "--object", "secret,id=sec0,data=123456", "--image-opts",
                "--output=json", "driver=qcow2,file.filename=" + img + ",encrypt.key-secret=sec0");
        StringWriter out = new StringWriter();
        int exit = QcowscopeCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "check",
                "--output=json", img.toString());
        assertEquals(q.exitCode(), exit);
        ObjectNode theirs = (ObjectNode) Json.mapper().readTree(q.stdout());
        ObjectNode ours = (ObjectNode) Json.mapper().readTree(out.toString());
        ours.remove(List.of("qcowscope", "filename"));
        theirs.remove("filename");
        assertEquals(theirs, ours);
    }

    // ---- damaged copies (spec section 9) ----

    @Test
    void leakedClusterIsOneLeak() throws Exception {
        Path img = twoClusters("leak.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l2Table(0) + 8, 0);
        Verdict v = assertSameVerdict(img);
        assertEquals(3, v.exit());
        assertEquals(1, v.json().path("leaks").asLong());
        assertEquals(List.of("LEAKED_CLUSTER"), v.kinds());
    }

    @Test
    void leaksFarIntoALargeFileAgreeWithQemu() throws Exception {
        // 4 KiB clusters: 10000+ host clusters, several refcount blocks; drop guest clusters 10000 and 10001.
        Path img = create("far.qcow2", "cluster_size=4k", "64M", "write -P 1 0 40M");
        ImageBytes b = new ImageBytes(img);
        long l2 = b.l2Table(10000 / 512);
        b.u64(l2 + 8 * (10000 % 512), 0);
        b.u64(l2 + 8 * (10001 % 512), 0);
        Verdict v = assertSameVerdict(img);
        assertEquals(3, v.exit());
        assertEquals(2, v.json().path("leaks").asLong());
    }

    @Test
    void refcountTooLowIsCountedPerCluster() throws Exception {
        Path img = twoClusters("low.qcow2", "");
        Qemu.img(dir, "snapshot", "-c", "s", img.toString());
        ImageBytes b = new ImageBytes(img);
        long data = b.u64(b.l2Table(0)) & 0x00FFFFFFFFFFFE00L;
        b.refcount16(data >>> 16, 1);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("REFCOUNT_TOO_LOW"), v.kinds()::toString);
    }

    @Test
    void refcountZeroOnUsedClusterIsTwoErrors() throws Exception {
        Path img = twoClusters("zero.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.refcount16(5, 0);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertEquals(2, v.json().path("corruptions").asLong());
        assertTrue(v.json().path("qcowscope").path("rebuild-needed").asBoolean());
        assertEquals(List.of("REFCOUNT_ZERO", "COPIED_L2"), v.kinds());
    }

    @Test
    void l2EntryPastEndOfFileIsReported() throws Exception {
        Path img = twoClusters("eof.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        long past = (b.size() + 0xFFFF) & ~0xFFFFL;
        b.u64(b.l2Table(0) + 8, COPIED | past);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("REFERENCE_PAST_EOF"), v.kinds()::toString);
    }

    @Test
    void unalignedL2TableOffsetAgreesWithQemu() throws Exception {
        Path img = twoClusters("ul2.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l1Offset(), b.l1(0) + 0x200);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("L2_TABLE_UNALIGNED"), v.kinds()::toString);
    }

    @Test
    void unalignedDataOffsetAgreesWithQemu() throws Exception {
        Path img = twoClusters("udata.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l2Table(0) + 8, 0x8000000000062000L);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("DATA_UNALIGNED"));
    }

    @Test
    void unalignedPreallocatedZeroClusterAgreesWithQemu() throws Exception {
        Path img = twoClusters("uzero.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l2Table(0) + 8, 0x8000000000062001L);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("PREALLOCATED_UNALIGNED"));
    }

    @Test
    void subclusterAllocatedAndZeroAgreesWithQemu() throws Exception {
        Path img = create("sc.qcow2", "extended_l2=on", "64M", "write 0 64k");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l2Table(0) + 8, 0x00000001FFFFFFFFL);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertEquals(List.of("SUBCLUSTER_ALLOC_ZERO_OVERLAP"), v.kinds());
        JsonNode f = v.json().path("qcowscope").path("findings").get(0);
        assertTrue(f.path("path").asText().endsWith("[0] subcluster 0"), f::toString);
    }

    @Test
    void allocationBitsOnUnallocatedEntryAgreeWithQemu() throws Exception {
        Path img = create("ua.qcow2", "extended_l2=on", "64M", "write 0 64k");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l2Table(0) + 16 * 5 + 8, 1);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertEquals(List.of("UNALLOCATED_WITH_ALLOC_BITS"), v.kinds());
    }

    @Test
    void zeroBitsOnUnallocatedEntryAreValid() throws Exception {
        Path img = create("uz.qcow2", "extended_l2=on", "64M", "write 0 64k");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l2Table(0) + 16 * 5 + 8, 0x0000000100000000L);
        assertEquals(0, assertSameVerdict(img).exit());
    }

    @Test
    void compressedEntryWithBitmapIsErrorAndLeak() throws Exception {
        Path img = create("cb.qcow2", "extended_l2=on", "64M", "write -c 0 64k");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l2Table(0) + 8, 1);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertEquals(1, v.json().path("leaks").asLong());
        assertEquals(1, v.json().path("corruptions").asLong());
    }

    @Test
    void wrongCopiedBitsAreOneErrorPerEntry() throws Exception {
        Path img = twoClusters("copied.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l1Offset(), b.l1(0) & ~COPIED);
        long l2 = b.l2Table(0);
        b.u64(l2, b.u64(l2) & ~COPIED);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertEquals(List.of("COPIED_L1", "COPIED_L2"), v.kinds());
    }

    @Test
    void twoL1EntriesSharingOneL2TableAgreeWithQemu() throws Exception {
        Path img = create("share.qcow2", "compat=1.1", "2G", "write 0 64k");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l1Offset() + 8, b.l1(0));
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
    }

    @Test
    void dataClusterOverlappingRefcountBlockAgreesWithQemu() throws Exception {
        Path img = twoClusters("ovl.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.l2Table(0) + 8, COPIED | b.refblock(0));
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("REFBLOCK_SHARED"));
        assertTrue(v.kinds().contains("METADATA_OVERLAP"), "the overlap is also a qcowscope warning");
    }

    @Test
    void refcountBlockOutsideImageAgreesWithQemu() throws Exception {
        Path img = twoClusters("outside.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.reftableOffset() + 8, 0x100000);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("REFBLOCK_OUTSIDE_IMAGE"));
    }

    @Test
    void missingRefcountTableAgreesWithQemu() throws Exception {
        Path img = twoClusters("noreftable.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(48, 0);
        b.u32(56, 0);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("REFCOUNT_ZERO"), v.kinds()::toString);
        assertTrue(v.json().path("qcowscope").path("rebuild-needed").asBoolean());
    }

    @Test
    void reftableEntryWithReservedBitsNeedsARebuild() throws Exception {
        Path img = twoClusters("reftres.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.reftableOffset(), b.u64(b.reftableOffset()) | 1);
        Verdict v = assertSameVerdict(img);
        assertTrue(v.kinds().contains("REFTABLE_RESERVED_BITS"), v.kinds()::toString);
        assertTrue(v.json().path("qcowscope").path("rebuild-needed").asBoolean());
    }

    @Test
    void unalignedRefcountBlockMakesRefcountsUnreadable() throws Exception {
        Path img = twoClusters("refbunal.qcow2", "");
        ImageBytes b = new ImageBytes(img);
        b.u64(b.reftableOffset(), b.u64(b.reftableOffset()) + 0x200);
        Verdict v = assertSameVerdict(img);
        assertEquals(1, v.exit());
        assertTrue(v.kinds().contains("REFBLOCK_UNALIGNED"), v.kinds()::toString);
    }

    @Test
    void refcountOverflowWithOneBitRefcountsAgreesWithQemu() throws Exception {
        Path img = twoClusters("ovf.qcow2", "refcount_bits=1");
        ImageBytes b = new ImageBytes(img);
        long l2 = b.l2Table(0);
        b.u64(l2 + 8, b.u64(l2));
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("REFCOUNT_OVERFLOW"));
    }

    @Test
    void snapshotWithoutExtraDataIsIncomplete() throws Exception {
        Path img = twoClusters("snapx.qcow2", "");
        Qemu.img(dir, "snapshot", "-c", "s1", img.toString());
        ImageBytes b = new ImageBytes(img);
        b.u32(b.snapshotsOffset() + 36, 0);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("SNAPSHOT_INCOMPLETE"));
    }

    @Test
    void unalignedSnapshotL1TableAgreesWithQemu() throws Exception {
        Path img = twoClusters("snapl1.qcow2", "");
        Qemu.img(dir, "snapshot", "-c", "s1", img.toString());
        ImageBytes b = new ImageBytes(img);
        b.u64(b.snapshotsOffset(), b.u64(b.snapshotsOffset()) + 0x200);
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("SNAPSHOT_L1_UNALIGNED"), v.kinds()::toString);
    }

    @Test
    void snapshotWithTooMuchExtraDataFailsTheCheck() throws Exception {
        Path img = twoClusters("snapbig.qcow2", "");
        Qemu.img(dir, "snapshot", "-c", "s1", img.toString());
        ImageBytes b = new ImageBytes(img);
        b.u32(b.snapshotsOffset() + 36, 2000);
        Verdict v = assertSameVerdict(img);
        assertEquals(1, v.exit());
        assertNull(v.json());
    }

    @Test
    void unalignedSnapshotTableOffsetFailsTheCheck() throws Exception {
        Path img = twoClusters("snapoff.qcow2", "");
        new ImageBytes(img).u64(64, 0x1200);
        assertEquals(1, assertSameVerdict(img).exit());
    }

    @Test
    void unopenableHeaderFailsLikeQemu() throws Exception {
        Path img = twoClusters("v4.qcow2", "");
        new ImageBytes(img).u32(4, 4);
        Verdict v = assertSameVerdict(img);
        assertEquals(1, v.exit());
        assertNull(v.json());
    }

    @Test
    void refcountsPastTheEndOfTheFileAreOnlyAWarning() throws Exception {
        Path img = twoClusters("pasteof.qcow2", "");
        new ImageBytes(img).refcount16(100, 1);
        Verdict v = assertSameVerdict(img);
        assertEquals(0, v.exit());
        assertEquals(List.of("REFCOUNT_PAST_EOF"), v.kinds());
        assertEquals(100, v.json().path("qcowscope").path("findings").get(0).path("host-cluster").asLong());
    }

    @Test
    void bitmapTableEntryWithReservedBitsFailsLikeQemu() throws Exception {
        Path img = create("bm.qcow2", "compat=1.1", "64M");
        Qemu.img(dir, "bitmap", "--add", img.toString(), "b0");
        Qemu.io(dir, img.toString(), "write 0 1M");
        ImageBytes b = new ImageBytes(img);
        assertEquals(0, assertSameVerdict(img).exit(), "the bitmap data cluster is counted");
        // Bitmaps extension (spec 2.3) right after the header: find the directory, then bitmap 0's table.
        long dir0 = -1;
        for (long off = 112; off < 4096; ) {
            long type = b.u32(off);
            long len = b.u32(off + 4);
            if (type == 0x23852875L) {
                dir0 = b.u64(off + 8 + 16);
                break;
            }
            off += 8 + ((len + 7) & ~7L);
        }
        assertTrue(dir0 > 0);
        long table = b.u64(dir0);
        b.u64(table, b.u64(table) | 2);
        Verdict v = assertSameVerdict(img);
        assertEquals(1, v.exit());
        assertTrue(v.stderr().contains("bitmap 'b0'"), v.stderr());
    }

    @Test
    void corruptBitAloneIsCleanWithAWarning() throws Exception {
        Path img = twoClusters("corrupt.qcow2", "");
        new ImageBytes(img).u8(79, 2);
        Verdict v = assertSameVerdict(img);
        assertEquals(0, v.exit());
        assertEquals(List.of("CORRUPT_BIT_SET"), v.kinds());
    }

    @Test
    void lazyRefcountImageLeftDirtyByKilledWriterAgreesWithQemu() throws Exception {
        Path img = create("lazy.qcow2", "lazy_refcounts=on", "64M");
        Process p = new ProcessBuilder("qemu-io", "-c", "write -P 0x11 0 128k", "-c", "write -P 0x22 1M 64k", "-c",
                "sleep 100000", img.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("io.log").toFile())
                .start();
        try {
            ImageBytes b = new ImageBytes(img);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // Wait until the writer has set the dirty bit and both L2 entries are on disk.
            while (!((b.u64(72) & 1) != 0 && b.l2Table(0) != 0 && b.u64(b.l2Table(0) + 8 * 16) != 0)) {
                assertTrue(p.isAlive(), "qemu-io ended early");
                assertTrue(System.nanoTime() < deadline, "qemu-io did not write in time");
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        Verdict v = assertSameVerdict(img);
        assertEquals(2, v.exit());
        assertTrue(v.kinds().contains("DIRTY_BIT_SET"));
        assertTrue(v.kinds().contains("REFCOUNT_ZERO"));
    }

    // ---- helpers ----

    private Path twoClusters(String name, String options) {
        return create(name, options.isEmpty() ? "compat=1.1" : options, "64M", "write -P 1 0 128k");
    }

    private Path create(String name, String options, String size, String... writes) {
        Path img = dir.resolve(name);
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", options, img.toString(), size);
        if (writes.length > 0) {
            Qemu.io(dir, img.toString(), writes);
        }
        return img;
    }

    /** Runs both checks on {@code img}; asserts equal exit codes and equal JSON on qemu-img's keys. */
    private Verdict assertSameVerdict(Path img) throws Exception {
        Qemu.Result q = Qemu.imgAllowFail(dir, "check", "--output=json", img.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = QcowscopeCommand.run(new PrintWriter(out), new PrintWriter(err), "check", "--output=json",
                img.toString());
        String context = "\nqemu-img: exit " + q.exitCode() + " " + q.stdout() + q.stderr() + "\nqcowscope: exit " + exit
                + " " + out + err;
        JsonNode ours = out.toString().isBlank() ? null : Json.mapper().readTree(out.toString());
        JsonNode theirs = q.stdout().isBlank() ? null : Json.mapper().readTree(q.stdout());
        assertEquals(q.exitCode(), exit, "exit codes" + context);
        if (theirs == null) {
            assertNull(ours, "qemu-img printed nothing" + context);
        } else {
            assertNotNull(ours, context);
            ObjectNode shared = ((ObjectNode) ours).deepCopy();
            assertNotNull(shared.remove("qcowscope"), "structured findings are under \"qcowscope\"");
            assertEquals(theirs, shared, "JSON on qemu-img's keys" + context);
        }
        assertTrue(Files.exists(img));
        return new Verdict(exit, ours, err.toString());
    }
}

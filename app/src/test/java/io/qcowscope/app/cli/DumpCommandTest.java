package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dump} shows every entry with its offset, raw bits and decoded fields, checked on spec section 9's scenarios. */
class DumpCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path d;

    @BeforeAll
    static void makeImage() {
        Qemu.requireInstalled();
        // Spec 9.1 and 9.2: ext-L2, backing all 0xFF.
        Qemu.img(d, "create", "-q", "-f", "qcow2", "base.qcow2", "1M");
        Qemu.io(d, "base.qcow2", "write -P 0xff 0 1M");
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "-b", "base.qcow2", "-F", "qcow2",
                "top.qcow2", "1M");
        Qemu.io(d, "top.qcow2", "write -P 1 0 1k", "write -P 2 3k 512", "write -P 3 63k 4k", "write -z 2k 2k");
        Qemu.img(d, "snapshot", "-c", "s1", "top.qcow2");
    }

    JsonNode dump(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "dump";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--output=json";
        all[args.length + 2] = d.resolve("top.qcow2").toString();
        Cli.Run r = Cli.run(all);
        assertEquals(0, r.exitCode(), r.stderr());
        return JSON.readTree(r.stdout());
    }

    @Test
    void bitmapTablesAreReadBoundedAndATableOffsetPastTheEndIsATypedError(@TempDir Path b) throws Exception {
        Path img = io.qcowscope.app.ui.viewmodel.TestImages.withBitmaps(b);
        Cli.Run r = Cli.run("dump", "bitmaps", "--output=json", img.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode bitmaps = JSON.readTree(r.stdout());
        assertEquals(2, bitmaps.size());
        JsonNode tracked = bitmaps.get(0);
        assertEquals("tracked", tracked.get("name").asText());
        assertEquals(tracked.get("table-size").asInt(), tracked.get("table").size());
        boolean dirty = false;
        for (JsonNode e : tracked.get("table")) {
            dirty |= e.get("data-offset").asLong() != 0 || e.get("all-ones").asBoolean();
        }
        assertTrue(dirty, "qemu-io's writes left dirty bits in the enabled bitmap: " + tracked.get("table"));
        for (JsonNode e : bitmaps.get(1).get("table")) {
            assertEquals("0000000000000000", e.get("raw").asText(), "the disabled bitmap saw no write");
        }
        // The first directory entry's bitmap_table_offset (its bytes 0..7) pointed far past the end of the file.
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.seek(tracked.get("offset").asLong());
            f.writeLong(1L << 40);
        }
        Cli.Run bad = Cli.run("dump", "bitmaps", "--output=json", img.toString());
        assertTrue(bad.exitCode() != 0, bad.stdout());
        assertTrue(bad.stderr().contains("bitmap 'tracked'") && bad.stderr().contains("past the end of the file"),
                bad.stderr());
        assertTrue(!bad.stderr().contains("\tat ") && !bad.stderr().contains("Exception"), bad.stderr());
    }

    @Test
    void l2EntriesCarryTheSubclusterBitmapsQemuWrote() throws Exception {
        JsonNode l2 = dump("l2");
        assertEquals(4096, l2.size(), "64 KiB clusters with 16-byte entries: 4096 entries");
        JsonNode e0 = l2.get(0);
        assertEquals(0x40000 + 0, e0.get("offset").asLong());
        assertEquals("0000000280000001", e0.get("bitmap").asText(), "spec 9.2");
        // One letter per subcluster: D data, Z zero with a host cluster, a unallocated with a host cluster.
        String subs = e0.get("subclusters").asText();
        assertEquals(32, subs.length());
        assertEquals('D', subs.charAt(0));
        assertEquals('Z', subs.charAt(1));
        assertEquals('a', subs.charAt(2));
        assertEquals('D', subs.charAt(31));
        assertEquals("0000000000000003", l2.get(1).get("bitmap").asText());
        // After a snapshot the data clusters are shared: COPIED is clear (spec 4.4).
        assertEquals(false, e0.get("copied").asBoolean());
        assertTrue(e0.get("fields") == null, "bit fields only with --bits");
        JsonNode fields = dump("l2", "--bits").get(0).get("fields");
        assertEquals("COPIED", fields.get(0).get("name").asText());
        assertTrue(fields.toString().contains("allocated[31]"));
    }

    @Test
    void l2JsonIsCompactAndSelectable() throws Exception {
        Cli.Run r = Cli.run("dump", "l2", "--output=json", d.resolve("top.qcow2").toString());
        assertEquals(0, r.exitCode(), r.stderr());
        long perEntry = r.stdout().length() / 4096;
        assertTrue(perEntry < 300, "well under 300 bytes per entry: " + perEntry);
        assertEquals(4097 + 1, r.stdout().split("\n").length, "one entry per line, the brackets on their own lines");
        JsonNode some = dump("l2", "--range", "64k,128k");
        assertEquals(2, some.size(), "guest 64k..192k: entries 1 and 2");
        assertEquals(1, some.get(0).get("index").asInt());
        assertEquals(0, dump("l2", "--l1-index", "1").size(), "a 1 MiB disk has one L1 entry");
    }

    @Test
    void refcountsShowTwoForClustersSharedWithTheSnapshot() throws Exception {
        JsonNode rc = dump("refcounts");
        long dataCluster = dump("l2").get(0).get("host-offset").asLong() >>> 16;
        assertEquals(2, rc.get((int) dataCluster).get("refcount").asLong());
        assertEquals(1, rc.get(0).get("refcount").asLong(), "header");
    }

    @Test
    void snapshotSelectorReadsTheSnapshotsL1() throws Exception {
        JsonNode active = dump("l1");
        JsonNode snap = dump("l1", "--snapshot", "s1");
        assertEquals(active.get(0).get("l2-offset"), snap.get(0).get("l2-offset"));
        assertTrue(snap.get(0).get("offset").asLong() != active.get(0).get("offset").asLong());
        assertEquals(1, dump("snapshots").size());
        assertEquals("s1", dump("snapshots").get(0).get("name").asText());
    }

    @Test
    void snapshotsNoteTheCopiedBitsQemuKeepsInTheirL1() throws Exception {
        JsonNode s = dump("snapshots").get(0);
        long copied = dump("l1", "--snapshot", "s1").findValues("copied").stream().filter(JsonNode::asBoolean).count();
        assertTrue(copied > 0, "qemu-img snapshot -c keeps COPIED in the L1 copy");
        assertEquals(copied, s.get("l1-copied-entries").asLong());
        assertTrue(s.get("note").asText().contains("only in the active L1"), s.toString());
    }

    @Test
    void headerFieldsHaveOffsetsAndRawBytes() throws Exception {
        JsonNode h = dump("header");
        assertEquals("magic", h.get(0).get("field").asText());
        assertEquals("514649fb", h.get(0).get("raw").asText());
        JsonNode ext = dump("extensions");
        assertEquals("backing file format", ext.get(0).get("kind").asText());
        assertEquals("qcow2", ext.get(0).get("format").asText());
    }
}

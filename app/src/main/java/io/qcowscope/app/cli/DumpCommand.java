package io.qcowscope.app.cli;

import io.qcowscope.engine.format.BitField;
import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.BitmapTableEntry;
import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.EntryFields;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.HeaderField;
import io.qcowscope.engine.format.HeaderFields;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.report.SnapshotNotes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qcowscope dump STRUCTURE IMAGE}: every entry of one kind of structure with its byte offset, raw hex and decoded
 * fields; L1, L2 and refcount table entries bit by bit.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print every entry of a structure: header, extensions, l1, l2, reftable, refcounts, snapshots, bitmaps.")
public final class DumpCommand implements Callable<Integer> {

    enum Structure { header, extensions, l1, l2, reftable, refcounts, snapshots, bitmaps }

    @Spec
    CommandSpec spec;

    @Option(names = "--output", defaultValue = "human", description = "human or json")
    OutputFormat output;

    @Option(names = "--snapshot", paramLabel = "ID|NAME", description = "Use this snapshot's L1 table for l1 and l2.")
    String snapshot;

    @Option(names = "--l1-index", paramLabel = "N", description = "Only the L2 table this L1 entry points at.")
    Long l1Index;

    @Option(names = "--range", paramLabel = "START[,LENGTH]", converter = GuestRange.Converter.class,
            description = "l2: only the entries mapping this guest range (bytes; k, M, G suffixes).")
    GuestRange range;

    @Option(names = "--bits", description = "l2: also list every bit field of each entry (about 30 times the output).")
    boolean bits;

    @Option(names = "--first-cluster", defaultValue = "0", description = "refcounts: first host cluster.")
    long firstCluster;

    @Option(names = "--count", defaultValue = "-1", description = "refcounts: how many clusters (default: to end of file).")
    long count;

    @Mixin
    ImageOptions imageOptions;

    @Parameters(index = "0", paramLabel = "STRUCTURE")
    Structure structure;

    @Parameters(index = "1", paramLabel = "IMAGE")
    Path image;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // L2 dumps are one compact record per line (issue 15): 131,072 entries per 2 MiB table.
        boolean compact = structure == Structure.l2 || structure == Structure.refcounts;
        try (Qcow2Image img = Qcow2Image.open(image, imageOptions.openOptions().withBackingChain(false));
             RecordEmitter em = output == OutputFormat.json ? RecordEmitter.json(out, compact)
                     : RecordEmitter.human(out)) {
            switch (structure) {
                case header -> header(img, em);
                case extensions -> extensions(img, em);
                case l1 -> l1(img, em);
                case l2 -> l2(img, em);
                case reftable -> reftable(img, em);
                case refcounts -> refcounts(img, em);
                case snapshots -> snapshots(img, em);
                case bitmaps -> bitmaps(img, em);
            }
        }
        return 0;
    }

    private static void header(Qcow2Image img, RecordEmitter em) throws IOException {
        byte[] raw = img.storage().read(0, 112);
        for (HeaderField f : HeaderFields.of(img.header())) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("field", f.name());
            r.put("offset", f.offset());
            r.put("size", f.length());
            r.put("raw", hex(raw, f.offset(), f.length()));
            r.put("value", f.value());
            r.put("meaning", f.meaning());
            em.record(r);
        }
    }

    private static void extensions(Qcow2Image img, RecordEmitter em) throws IOException {
        for (HeaderExtension e : img.extensions()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("offset", e.offset());
            r.put("type", String.format("0x%08x", e.type()));
            r.put("kind", e.kind());
            r.put("length", e.length());
            if (e instanceof HeaderExtension.BackingFormat b) {
                r.put("format", b.format());
            } else if (e instanceof HeaderExtension.DataFileName d) {
                r.put("name", d.name());
            } else if (e instanceof HeaderExtension.Bitmaps b) {
                r.put("nb-bitmaps", b.nbBitmaps());
                r.put("directory-size", b.directorySize());
                r.put("directory-offset", b.directoryOffset());
            } else if (e instanceof HeaderExtension.FullDiskEncryption f) {
                r.put("area-offset", f.areaOffset());
                r.put("area-length", f.areaLength());
            } else if (e instanceof HeaderExtension.FeatureNameTable t) {
                List<Object> names = new ArrayList<>();
                for (HeaderExtension.FeatureName n : t.names()) {
                    names.add(Map.of("type", n.wordCode(), "bit", n.bit(), "name", n.name()));
                }
                r.put("names", names);
            } else if (e instanceof HeaderExtension.Unknown u) {
                r.put("data", hex(u.data(), 0, u.data().length));
            }
            em.record(r);
        }
    }

    private long[] l1Of(Qcow2Image img, long[] offsetOut) throws IOException {
        if (snapshot == null) {
            offsetOut[0] = img.header().l1TableOffset();
            return img.l1Table();
        }
        for (SnapshotEntry s : img.snapshots()) {
            if (s.id().equals(snapshot) || s.name().equals(snapshot)) {
                offsetOut[0] = s.l1TableOffset();
                return img.readL1Table(s.l1TableOffset(), s.l1Size());
            }
        }
        throw new IllegalArgumentException("no snapshot with ID or name '" + snapshot + "'");
    }

    private void l1(Qcow2Image img, RecordEmitter em) throws IOException {
        long[] at = new long[1];
        long[] l1 = l1Of(img, at);
        long per = img.geometry().bytesPerL1Entry();
        for (int i = 0; i < l1.length; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", i);
            r.put("offset", at[0] + 8L * i);
            r.put("raw", String.format("%016x", l1[i]));
            r.put("guest-start", i * per);
            r.put("l2-offset", L1Entry.l2Offset(l1[i]));
            r.put("copied", L1Entry.copied(l1[i]));
            r.put("reserved", L1Entry.reservedBits(l1[i]));
            r.put("fields", fields(EntryFields.l1(l1[i])));
            em.record(r);
        }
    }

    private void l2(Qcow2Image img, RecordEmitter em) throws IOException {
        long[] at = new long[1];
        long[] l1 = l1Of(img, at);
        Geometry g = img.geometry();
        long start = range == null ? 0 : range.start();
        long end = range == null ? Long.MAX_VALUE : range.end();
        for (int i = 0; i < l1.length; i++) {
            long tableGuest = i * g.bytesPerL1Entry();
            if (l1Index != null && l1Index != i || tableGuest >= end || tableGuest + g.bytesPerL1Entry() <= start) {
                continue;
            }
            long l2Offset = L1Entry.l2Offset(l1[i]);
            if (l2Offset == 0 || (l2Offset & g.clusterMask()) != 0) {
                continue;
            }
            L2Table t = img.l2Table(l2Offset);
            int first = (int) (Math.max(0, start - tableGuest) >>> g.clusterBits());
            for (int j = first; j < t.entries(); j++) {
                long guest = tableGuest + ((long) j << g.clusterBits());
                if (guest >= end) {
                    break;
                }
                em.record(l2Record(img, i, j, t, bits));
            }
        }
    }

    /**
     * One L2 entry: each fact once; with extended L2 the 32 subcluster states as one string, a letter each
     * ({@link #SUBCLUSTER_LETTERS}); the bit-by-bit field list only with {@code --bits}.
     */
    static Map<String, Object> l2Record(Qcow2Image img, int l1Index, int j, L2Table t, boolean bits) {
        Geometry g = img.geometry();
        boolean ext = g.extendedL2();
        long w0 = t.word0(j);
        long bm = t.bitmap(j);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("l1-index", l1Index);
        r.put("index", j);
        r.put("offset", t.entryOffset(j));
        r.put("guest-offset", l1Index * g.bytesPerL1Entry() + ((long) j << g.clusterBits()));
        r.put("raw", String.format("%016x", w0));
        if (ext) {
            r.put("bitmap", String.format("%016x", bm));
        }
        ClusterType type = t.clusterType(j);
        r.put("type", type.name());
        if (type == ClusterType.COMPRESSED) {
            CompressedDescriptor d = t.compressedDescriptor(j);
            r.put("compressed-offset", d.hostOffset());
            r.put("compressed-sectors", d.sectors());
            r.put("compressed-size", d.compressedSize());
        } else {
            r.put("host-offset", L2Entry.hostOffset(w0));
        }
        r.put("copied", L2Entry.copied(w0));
        if (ext) {
            char[] subs = new char[32];
            for (int sc = 0; sc < 32; sc++) {
                subs[sc] = SUBCLUSTER_LETTERS.charAt(t.subclusterType(j, sc).ordinal());
            }
            r.put("subclusters", new String(subs));
        }
        if (bits) {
            List<Object> f = fields(EntryFields.l2(w0, ext, g.clusterBits()));
            if (ext) {
                f.addAll(fields(EntryFields.bitmap(bm)));
            }
            r.put("fields", f);
        }
        return r;
    }

    /**
     * Subcluster states in {@code subclusters}, by {@link io.qcowscope.engine.format.SubclusterType} order:
     * u unallocated, a unallocated with a host cluster, z zero, Z zero with a host cluster, D data, C compressed,
     * ! invalid (allocated and zero both set).
     */
    static final String SUBCLUSTER_LETTERS = "uazZDC!";

    private static void reftable(Qcow2Image img, RecordEmitter em) throws IOException {
        long base = img.header().refcountTableOffset();
        long per = img.geometry().refblockEntries() << img.geometry().clusterBits();
        var rc = img.refcounts();
        for (int i = 0; i < rc.reftableEntries(); i++) {
            long raw = rc.reftableEntry(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", i);
            r.put("offset", base + 8L * i);
            r.put("raw", String.format("%016x", raw));
            r.put("block-offset", ReftableEntry.blockOffset(raw));
            r.put("covers-host-start", i * per);
            r.put("fields", fields(EntryFields.reftable(raw)));
            em.record(r);
        }
    }

    private void refcounts(Qcow2Image img, RecordEmitter em) throws IOException {
        Geometry g = img.geometry();
        long end = g.clustersFor(img.storage().size());
        long last = count < 0 ? end : Math.min(Long.MAX_VALUE - firstCluster, firstCluster + count);
        var rc = img.refcounts();
        for (long c = firstCluster; c < last; c++) {
            long r = c >>> g.refblockBits();
            long block = r < rc.reftableEntries() ? ReftableEntry.blockOffset(rc.reftableEntry((int) r)) : 0;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", c);
            m.put("host-offset", c << g.clusterBits());
            m.put("refcount", block == 0 || (block & g.clusterMask()) != 0 ? 0
                    : RefcountBlockCodec.get(rc.block(block), c & (g.refblockEntries() - 1), g.refcountOrder()));
            m.put("refcount-block", block);
            long bitIndex = (c & (g.refblockEntries() - 1)) * g.refcountBits();
            m.put("entry-offset", block == 0 ? -1 : block + bitIndex / 8);
            em.record(m);
        }
    }

    private static void snapshots(Qcow2Image img, RecordEmitter em) throws IOException {
        if (img.snapshotError() != null) {
            throw img.snapshotError();
        }
        for (SnapshotEntry s : img.snapshots()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", s.index());
            r.put("offset", s.offset());
            r.put("length", s.length());
            r.put("id", s.id());
            r.put("name", s.name());
            r.put("l1-table-offset", s.l1TableOffset());
            r.put("l1-size", s.l1Size());
            r.put("date-sec", s.dateSec());
            r.put("date-nsec", s.dateNsec());
            r.put("vm-clock-nsec", s.vmClockNsec());
            r.put("vm-state-size", s.vmStateSize());
            r.put("extra-data-size", s.extraDataSize());
            r.put("disk-size", s.diskSize());
            r.put("icount", s.icount());
            long copied = SnapshotNotes.copiedL1Entries(img, s);
            r.put("l1-copied-entries", copied);
            String note = SnapshotNotes.copiedNote(copied);
            if (note != null) {
                r.put("note", note);
            }
            em.record(r);
        }
    }

    private static void bitmaps(Qcow2Image img, RecordEmitter em) throws IOException {
        Geometry g = img.geometry();
        for (BitmapDirectoryEntry b : img.bitmaps()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", b.index());
            r.put("offset", b.offset());
            r.put("name", b.name());
            r.put("table-offset", b.tableOffset());
            r.put("table-size", b.tableSize());
            r.put("flags", b.flags());
            r.put("in-use", b.inUse());
            r.put("auto", b.auto());
            r.put("granularity", b.granularity());
            List<BitmapTableEntry> table = img.bitmapTable(b, 1 << 20); // bounded, checked against the file's end
            List<Object> entries = new ArrayList<>();
            for (int i = 0; i < table.size(); i++) {
                BitmapTableEntry e = table.get(i);
                Map<String, Object> em2 = new LinkedHashMap<>();
                em2.put("index", i);
                em2.put("raw", String.format("%016x", e.raw()));
                em2.put("data-offset", e.dataOffset());
                em2.put("all-ones", e.allOnes());
                em2.put("invalid", e.invalid());
                entries.add(em2);
            }
            r.put("table", entries);
            r.put("covers-bytes", b.tableSize() * g.clusterSize() * 8 * b.granularity());
            em.record(r);
        }
    }

    static List<Object> fields(List<BitField> fs) {
        List<Object> out = new ArrayList<>();
        for (BitField f : fs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("bits", f.lowBit() == f.highBit() ? String.valueOf(f.lowBit()) : f.highBit() + ".." + f.lowBit());
            m.put("value", f.value());
            m.put("meaning", f.meaning());
            out.add(m);
        }
        return out;
    }

    static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = off; i < off + len && i < b.length; i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}

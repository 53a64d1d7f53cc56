package io.qcowscope.app.ui.viewmodel.teach;

import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.TablesViewModel.Decoded;
import io.qcowscope.app.ui.viewmodel.teach.ReadStep.Highlight;
import io.qcowscope.app.ui.viewmodel.teach.ReadStep.Kind;
import io.qcowscope.app.ui.viewmodel.teach.ReadStep.View;
import io.qcowscope.engine.format.BitField;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.EntryFields;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.image.BlockStatus;
import io.qcowscope.engine.layout.GuestExtent;
import io.qcowscope.engine.layout.ReadWalk;
import io.qcowscope.engine.mapping.HostMapping;
import io.qcowscope.engine.mapping.ResolutionTrace;
import java.util.ArrayList;
import java.util.List;

/** Turns the engine's {@link ReadWalk} into the stepper's steps: every value comes from the walk, none is recomputed. */
public final class ReadSteps {
    private ReadSteps() {
    }

    public static List<ReadStep> of(ReadWalk w) {
        List<ReadStep> out = new ArrayList<>();
        for (ReadWalk.Layer l : w.layers()) {
            layer(w, l, out);
        }
        if (w.error() != null) {
            out.add(new ReadStep(Kind.ERROR, w.deciding().depth(), "The read fails", "QEMU refuses this read: "
                    + w.error().getMessage() + ". A writable image would be marked corrupt (spec 1.3).", null,
                    Highlight.NONE, Concept.subcluster(SubclusterType.INVALID)));
        } else {
            out.add(answer(w));
        }
        return out;
    }

    private static void layer(ReadWalk w, ReadWalk.Layer l, List<ReadStep> out) {
        long g = w.guest().value();
        String in = l.depth() == 0 ? "" : " in backing layer " + l.depth() + " (" + shortName(l.filename()) + ")";
        ResolutionTrace t = l.trace();
        if (l.geometry() == null) {
            out.add(new ReadStep(Kind.RAW, l.depth(), "Layer " + l.depth() + " is a raw file",
                    shortName(l.filename()) + " is raw: guest byte " + Sizes.hex(g) + " is simply byte " + Sizes.hex(g)
                            + " of the file, no tables to look up" + (l.status() != null && l.status().zero()
                                    ? "; the file has a hole there, so it reads as zeros." : "."), null, Highlight.NONE,
                    Concept.topic(Topic.BACKING_CHAIN)));
            return;
        }
        if (t == null) {
            return; // past this layer's end: the layer above already answered zeros
        }
        Geometry geo = l.geometry();
        boolean top = l.depth() == 0;
        long gc = g >>> geo.clusterBits();
        Decoded offsetBits = offsetBits(g, geo, in);
        out.add(new ReadStep(Kind.GUEST_OFFSET, l.depth(), "Guest offset " + Sizes.hex(g) + in,
                "The guest reads byte " + Sizes.hex(g) + " (" + g + ")" + in + ". With " + Sizes.bytes(geo.clusterSize())
                        + " clusters and " + geo.l2Entries() + " entries per L2 table, the offset's bits name the L1 entry, "
                        + "the L2 entry" + (geo.extendedL2() ? ", the subcluster" : "") + " and the byte inside "
                        + "(spec 3.1).", offsetBits,
                top ? new Highlight(View.GUEST_MAP, gc, -1, -1, -1, -1, -1, 0) : Highlight.NONE,
                Concept.topic(Topic.GUEST_OFFSET)));
        int l1Shift = geo.clusterBits() + geo.l2Bits();
        String l1Text = "L1 index = offset >> " + l1Shift + " (cluster_bits " + geo.clusterBits() + " + l2_bits "
                + geo.l2Bits() + ") = " + t.l1Index() + ". ";
        if (t.pastL1()) {
            out.add(new ReadStep(Kind.L1_INDEX, l.depth(), "L1 index " + t.l1Index(), l1Text + "The L1 table has only "
                    + Plural.of(t.l1Size(), "entry") + ": past its end everything is unallocated (spec 3.1).", offsetBits,
                    Highlight.NONE, Concept.topic(Topic.L1_ENTRY)));
            unallocated(w, l, t, out);
            return;
        }
        long l1Cluster = t.l1EntryOffset() & ~geo.clusterMask();
        out.add(new ReadStep(Kind.L1_INDEX, l.depth(), "L1 index " + t.l1Index(), l1Text + "The entry is at "
                + Sizes.hex(t.l1EntryOffset()) + ": the table's start plus " + t.l1Index() + " x 8 bytes.", offsetBits,
                Highlight.NONE, Concept.topic(Topic.GUEST_OFFSET)));
        long l2Offset = L1Entry.l2Offset(t.l1Entry());
        out.add(new ReadStep(Kind.L1_ENTRY, l.depth(), "L1[" + t.l1Index() + "] = " + Sizes.hex(t.l1Entry()),
                l2Offset == 0 ? "The entry names no L2 table (offset 0): this whole "
                        + Sizes.bytes(geo.bytesPerL1Entry()) + " slice of the disk is unallocated" + in + " (spec 3.2)."
                        : "Bits 9-55 give the L2 table's offset " + Sizes.hex(l2Offset) + "; COPIED (bit 63) is "
                        + (L1Entry.copied(t.l1Entry()) ? "set: the table is not shared with a snapshot."
                                : "clear: a snapshot shares the table, an update copies it first.") + " (spec 3.2)",
                new Decoded("L1[" + t.l1Index() + "] at " + Sizes.hex(t.l1EntryOffset()), t.l1Entry(), 0, false,
                        EntryFields.l1(t.l1Entry()), List.of()),
                top ? new Highlight(View.TABLES, -1, (int) t.l1Index(), -1, -1, l1Cluster,
                        t.l1EntryOffset() - l1Cluster, 8) : Highlight.NONE, Concept.topic(Topic.L1_ENTRY)));
        if (!t.hasL2Table()) {
            unallocated(w, l, t, out);
            return;
        }
        out.add(new ReadStep(Kind.L2_TABLE, l.depth(), "L2 table at " + Sizes.hex(t.l2Offset()),
                "L2 index = (offset >> " + geo.clusterBits() + ") & " + (geo.l2Entries() - 1) + " = " + t.l2Index()
                        + ", so the entry is " + Plural.of(geo.l2EntrySize(), "byte") + " at " + Sizes.hex(t.l2EntryOffset())
                        + " (table + " + t.l2Index() + " x " + geo.l2EntrySize() + ").", offsetBits,
                top ? new Highlight(View.HOST_MAP, -1, -1, -1, t.l2Offset() >>> geo.clusterBits(), t.l2Offset(),
                        t.l2EntryOffset() - t.l2Offset(), geo.l2EntrySize()) : Highlight.NONE,
                Concept.role(io.qcowscope.engine.host.HostClusterRole.L2_TABLE)));
        boolean ext = geo.extendedL2();
        out.add(new ReadStep(Kind.L2_ENTRY, l.depth(), "L2[" + t.l2Index() + "] = " + Sizes.hex(t.word0())
                + (ext ? ", bitmap " + Sizes.hex(t.bitmap()) : ""), l2Sentence(t, geo, l.dataFile()),
                new Decoded("L2[" + t.l2Index() + "] at " + Sizes.hex(t.l2EntryOffset()), t.word0(), t.bitmap(), ext,
                        EntryFields.l2(t.word0(), ext, geo.clusterBits()), ext ? EntryFields.bitmap(t.bitmap()) : List.of()),
                top ? new Highlight(View.TABLES, gc, (int) t.l1Index(), t.l2Index(), -1, t.l2Offset(),
                        t.l2EntryOffset() - t.l2Offset(), geo.l2EntrySize()) : Highlight.NONE,
                Concept.topic(ext ? Topic.L2_ENTRY_EXTENDED : Topic.L2_ENTRY_STANDARD)));
        HostMapping m = t.mapping();
        if (m == null) {
            return; // the resolver refused the entry: the walk's error step says why
        }
        if (ext && m.type() != SubclusterType.COMPRESSED) {
            int sc = t.subclusterIndex();
            long alloc = (t.bitmap() >>> sc) & 1;
            long zero = (t.bitmap() >>> (32 + sc)) & 1;
            out.add(new ReadStep(Kind.SUBCLUSTER, l.depth(), "Subcluster " + sc + ": " + m.type().name(),
                    "Subcluster index = (offset >> " + geo.subclusterBits() + ") & 31 = " + sc + ". Its allocation bit "
                            + sc + " is " + alloc + " and its zero bit " + (32 + sc) + " is " + zero + ", with "
                            + (L2Entry.hostOffset(t.word0()) == 0 ? "no host offset" : "a host offset") + ": "
                            + m.type().name() + " (spec 3.5).",
                    new Decoded("subcluster bitmap of L2[" + t.l2Index() + "]", t.bitmap(), 0, false, List.of(
                            new BitField("zero bit " + (32 + sc), 32 + sc, 32 + sc, zero, "subcluster " + sc + " reads as zero"),
                            new BitField("allocation bit " + sc, sc, sc, alloc, "subcluster " + sc + " allocated")),
                            List.of()),
                    Highlight.NONE, Concept.subcluster(m.type())));
        }
        switch (m.type()) {
            case NORMAL -> hostOffset(w, l, t, geo, out);
            case ZERO_PLAIN, ZERO_ALLOC -> out.add(new ReadStep(Kind.ZEROS, l.depth(), "Reads as zeros",
                    m.type() == SubclusterType.ZERO_ALLOC ? "ZERO_ALLOC: zeros, although a host cluster ("
                            + Sizes.hex(m.hostOffset() & ~geo.clusterMask()) + ") is kept for the next write; nothing is "
                            + "read, and the backing file is not asked (spec 3.3)."
                            : "ZERO_PLAIN: zeros with no host cluster; nothing is read and the backing file is not asked "
                            + "(spec 3.3).", null, zeroHighlight(top, m, geo), Concept.subcluster(m.type())));
            case COMPRESSED -> compressed(l, t, geo, out);
            default -> unallocated(w, l, t, out);
        }
    }

    private static Highlight zeroHighlight(boolean top, HostMapping m, Geometry geo) {
        if (!top || !m.type().hasHostOffset()) {
            return Highlight.NONE;
        }
        long c = m.hostOffset() & ~geo.clusterMask();
        return new Highlight(View.HOST_MAP, -1, -1, -1, c >>> geo.clusterBits(), -1, -1, 0);
    }

    private static String l2Sentence(ResolutionTrace t, Geometry geo, boolean dataFile) {
        long w0 = t.word0();
        if (L2Entry.isCompressed(w0)) {
            return "Bit 62 is set: a compressed cluster; the rest of the entry is a compressed descriptor (spec 3.4).";
        }
        if (w0 == 0 && t.bitmap() == 0) {
            return "The entry is 0: nothing is stored for this cluster here (spec 3.3).";
        }
        long off = L2Entry.hostOffset(w0);
        String s = off == 0 ? "No host offset" : "Host cluster offset " + Sizes.hex(off) + (dataFile ? " in the data file"
                : "");
        s += (geo.extendedL2() ? "; the bitmap decides each subcluster (spec 3.5)."
                : (w0 & L2Entry.ZERO) != 0 ? "; bit 0 (zero) is set (spec 3.3)." : " (spec 3.3).");
        if (off != 0 && !dataFile) {
            s += " COPIED is " + (L2Entry.copied(w0) ? "set: refcount 1, a write goes in place."
                    : "clear: the cluster is shared, a write copies it first.");
        }
        return s;
    }

    private static void hostOffset(ReadWalk w, ReadWalk.Layer l, ResolutionTrace t, Geometry geo, List<ReadStep> out) {
        HostMapping m = t.mapping();
        long host = m.hostOffset();
        long cluster = host & ~geo.clusterMask();
        long inCluster = host - cluster;
        BlockStatus st = l.status();
        boolean hole = st != null && st.zero();
        String where = l.dataFile() ? "of the external data file" : "of " + shortName(l.filename()) + " (host cluster "
                + (cluster >>> geo.clusterBits()) + ")";
        out.add(new ReadStep(Kind.HOST_OFFSET, l.depth(), "Host offset " + Sizes.hex(host),
                "Host offset = " + Sizes.hex(cluster) + " + " + Sizes.hex(inCluster) + " (the offset inside the cluster) = "
                        + Sizes.hex(host) + " " + where + "; the read returns the bytes stored there"
                        + (hole ? ", but the host file has a hole there, so they are zeros." : ".")
                        + " The same answer holds for the next " + Plural.of(m.bytes(), "byte") + ".", null,
                l.depth() == 0 && !l.dataFile() ? new Highlight(View.HOST_MAP, -1, -1, -1, cluster >>> geo.clusterBits(),
                        cluster, inCluster, Math.min(m.bytes(), geo.clusterSize() - inCluster)) : Highlight.NONE,
                Concept.subcluster(SubclusterType.NORMAL)));
    }

    private static void compressed(ReadWalk.Layer l, ResolutionTrace t, Geometry geo, List<ReadStep> out) {
        CompressedDescriptor d = t.descriptor();
        long first = d.firstCluster(geo.clusterBits());
        long last = d.lastCluster(geo.clusterBits());
        long inCluster = t.guest().value() & geo.clusterMask();
        out.add(new ReadStep(Kind.COMPRESSED, l.depth(), "Compressed stream at " + Sizes.hex(d.hostOffset()),
                "With x = 62 - (cluster_bits - 8) = " + CompressedDescriptor.sizeShift(geo.clusterBits()) + ", bits 0-"
                        + (CompressedDescriptor.sizeShift(geo.clusterBits()) - 1) + " give the byte offset "
                        + Sizes.hex(d.hostOffset()) + " and the sector field " + d.sectors() + " sectors: "
                        + Plural.of(d.compressedSize(), "byte") + " from host cluster " + (first >>> geo.clusterBits())
                        + (last != first ? " to " + (last >>> geo.clusterBits()) : "") + ". The whole cluster is inflated, "
                        + "then byte " + Sizes.hex(inCluster) + " of it is returned (spec 3.4).",
                null, l.depth() == 0 ? new Highlight(View.HOST_MAP, -1, -1, -1, first >>> geo.clusterBits(), first,
                        d.hostOffset() - first, Math.min(d.compressedSize(), first + geo.clusterSize() - d.hostOffset()))
                        : Highlight.NONE, Concept.topic(Topic.COMPRESSED_DESCRIPTOR)));
    }

    /** Nothing in this layer: the backing layer answers, or zeros. */
    private static void unallocated(ReadWalk w, ReadWalk.Layer l, ResolutionTrace t, List<ReadStep> out) {
        GuestExtent a = w.answer();
        boolean below = a != null && a.depth() > l.depth();
        String type = t.mapping() == null ? "unallocated" : t.mapping().type().name();
        if (below) {
            ReadWalk.Layer next = w.layers().get(l.depth() + 1);
            out.add(new ReadStep(Kind.BACKING, l.depth(), "Ask backing layer " + next.depth(),
                    type + ": this layer stores nothing here, so the read goes to its backing file "
                            + shortName(next.filename()) + " (" + next.format() + ") at the same guest offset (spec B.1).",
                    null, Highlight.NONE,
                    Concept.topic(Topic.BACKING_CHAIN)));
            return;
        }
        boolean pastEnd = l.backingSize() >= 0;
        out.add(new ReadStep(Kind.ZEROS, l.depth(), "Reads as zeros", type + ": nothing is stored here and "
                + (pastEnd ? "the offset lies past the end of the backing file (" + Sizes.bytes(l.backingSize())
                        + "), so the read gives zeros (spec B.1)."
                        : "there is no backing file below, so the read gives zeros (spec B.1)."), null, Highlight.NONE,
                Concept.subcluster(t.mapping() == null ? SubclusterType.UNALLOCATED_PLAIN : t.mapping().type())));
    }

    private static ReadStep answer(ReadWalk w) {
        GuestExtent a = w.answer();
        ReadWalk.Layer d = w.deciding();
        String json = "{\"depth\": " + a.depth() + ", \"present\": " + a.present() + ", \"zero\": " + a.zero()
                + ", \"data\": " + a.data() + (a.hasOffset() ? ", \"offset\": " + a.offset() : "") + "}";
        String what = a.data() && !a.zero() ? "data from layer " + a.depth() + " (" + shortName(d.filename()) + ")"
                : a.zero() ? "zeros" + (a.present() ? " (layer " + a.depth() + " says so)" : "")
                : "nothing: no layer stores it";
        return new ReadStep(Kind.ANSWER, a.depth(), "Answer: " + what, "This is what qemu-img map --output=json says "
                + "of guest offset " + Sizes.hex(w.guest().value()) + ": " + json + (a.hasOffset() ? " (offset " + Sizes.hex(
                        a.offset()) + ")" : "") + ".", null, Highlight.NONE, Concept.topic(Topic.BACKING_CHAIN));
    }

    private static String shortName(String filename) {
        int slash = filename.lastIndexOf('/');
        return slash >= 0 && slash < filename.length() - 1 ? filename.substring(slash + 1) : filename;
    }

    /** The guest offset's bits: L1 index, L2 index, subcluster (extended L2) and the byte inside (spec 3.1). */
    static Decoded offsetBits(long g, Geometry geo, String in) {
        int cb = geo.clusterBits();
        int l1Low = cb + geo.l2Bits();
        List<BitField> f = new ArrayList<>();
        f.add(new BitField("L1 index", l1Low, 63, g >>> l1Low, String.valueOf(g >>> l1Low)));
        f.add(new BitField("L2 index", cb, l1Low - 1, (g >>> cb) & (geo.l2Entries() - 1),
                String.valueOf((g >>> cb) & (geo.l2Entries() - 1))));
        if (geo.extendedL2()) {
            int sb = geo.subclusterBits();
            f.add(new BitField("subcluster", sb, cb - 1, (g >>> sb) & 31, String.valueOf((g >>> sb) & 31)));
            f.add(new BitField("offset in subcluster", 0, sb - 1, g & ((1L << sb) - 1), Sizes.hex(g & ((1L << sb) - 1))));
        } else {
            f.add(new BitField("offset in cluster", 0, cb - 1, g & geo.clusterMask(), Sizes.hex(g & geo.clusterMask())));
        }
        return new Decoded("guest offset " + Sizes.hex(g) + in, g, 0, false, f, List.of());
    }
}

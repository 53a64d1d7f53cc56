package io.qcowscope.app.ui.viewmodel.lab;

import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.write.ClusterPlan;
import io.qcowscope.engine.write.CowSource;
import io.qcowscope.engine.write.HostEvent;
import io.qcowscope.engine.write.WritePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns the engine's {@link WritePlan} into the ordered steps the dry-run panel shows: the analysis QEMU makes (touched
 * subclusters, in place or new cluster, copy-on-write and its sources, the first-fit allocation), then every call on
 * the file in the order the engine made it, each flush explained by the rule of spec B.3 it keeps.
 */
public final class WritePlanNarrative {
    /** Clusters described one by one; the rest are summarised. */
    private static final int LISTED = 4;

    private WritePlanNarrative() {
    }

    public static List<PlanStep> steps(WritePlan p) {
        List<PlanStep> out = new ArrayList<>();
        range(p, out);
        List<ClusterPlan> cs = p.clusters();
        for (int i = 0; i < Math.min(LISTED, cs.size()); i++) {
            decision(p, cs.get(i), out);
            cow(p, cs.get(i), out);
        }
        if (cs.size() > LISTED) {
            long fresh = cs.stream().skip(LISTED).filter(c -> c.decision() == ClusterPlan.Decision.NEW_CLUSTER).count();
            out.add(new PlanStep(PlanStep.Kind.DECISION, (cs.size() - LISTED) + " more clusters",
                    fresh + " of them need a new host cluster, " + (cs.size() - LISTED - fresh) + " keep theirs."));
        }
        allocation(p, out);
        events(p, out);
        return out;
    }

    private static void range(WritePlan p, List<PlanStep> out) {
        var g = p.geometry();
        ClusterPlan first = p.clusters().get(0);
        ClusterPlan last = p.clusters().get(p.clusters().size() - 1);
        String where = p.clusters().size() == 1 ? "guest cluster " + (first.guestOffset() >>> g.clusterBits())
                : "guest clusters " + (first.guestOffset() >>> g.clusterBits()) + " to "
                        + (last.guestOffset() >>> g.clusterBits());
        String text = String.format(Locale.ROOT, "%s bytes at guest offset %s fall in %s (L1[%d], L2 entry %d).",
                p.length(), hex(p.guestOffset()), where, first.l1Index(), first.l2Index());
        if (g.extendedL2()) {
            text += String.format(Locale.ROOT, " With extended L2 each %s cluster has 32 subclusters of %s: the write "
                    + "touches subclusters %d to %d%s (spec 3.5).", size(g.clusterSize()), size(g.subclusterSize()),
                    first.firstSubcluster(), first.lastSubcluster(), p.clusters().size() > 1 ? " of the first" : "");
        } else {
            text += " With standard L2 the whole " + size(g.clusterSize()) + " cluster is the unit of allocation.";
        }
        out.add(new PlanStep(PlanStep.Kind.RANGE, "The guest range", text));
    }

    private static void decision(WritePlan p, ClusterPlan c, List<PlanStep> out) {
        boolean ext = p.geometry().extendedL2();
        long n = c.guestOffset() >>> p.geometry().clusterBits();
        String old = entry(c.oldWord0(), c.oldBitmap(), ext);
        String title;
        String text;
        switch (c.reason()) {
            case COPIED_NORMAL -> {
                title = "Cluster " + n + ": written in place";
                text = "Its L2 entry (" + old + ") has COPIED set, so the refcount is exactly 1, and the touched "
                        + (ext ? "subclusters are" : "cluster is") + " allocated: the bytes go straight into host "
                        + hex(L2Entry.hostOffset(c.oldWord0()) + c.from()) + " and no metadata changes (spec 3.6 A).";
            }
            case COPIED_NEEDS_BITMAP -> {
                title = "Cluster " + n + ": host cluster kept, bitmap updated";
                text = "The host cluster " + hex(L2Entry.hostOffset(c.oldWord0())) + " has COPIED set and is kept, but "
                        + "some touched subclusters are not allocated yet: the write fills them and the bitmap goes from "
                        + bitmap(c.oldBitmap()) + " to " + bitmap(c.newBitmap()) + " (spec 3.6 A).";
            }
            case UNALLOCATED -> {
                title = "Cluster " + n + ": needs a new host cluster";
                text = "The entry (" + old + ") points at no host cluster" + (p.backingFile() != null
                        ? ", so the backing file answers reads here" : "") + ": a new cluster is allocated (spec 3.6 B).";
            }
            case ZERO -> {
                title = "Cluster " + n + ": needs a new host cluster";
                text = "The entry (" + old + ") reads as zeros without host data: a new cluster is allocated and the "
                        + "zero flag cleared (spec 3.6 B).";
            }
            case COMPRESSED -> {
                title = "Cluster " + n + ": compressed, rewritten into a new cluster";
                text = "A compressed cluster is never written in place: it is decompressed, merged with the new bytes and "
                        + "written whole into a new cluster; the old compressed sectors lose their reference (spec 3.4).";
            }
            default -> {
                title = "Cluster " + n + ": shared, copied to a new cluster";
                text = "COPIED is clear on " + old + ": a snapshot shares the host cluster (refcount above 1), so it is "
                        + "copied to a new cluster and the old one loses this reference (spec 4.2).";
            }
        }
        if (c.newL2Table() && c.decision() != ClusterPlan.Decision.IN_PLACE) {
            text += " L1[" + c.l1Index() + "] has no L2 table of its own yet (none, or one shared with a snapshot), so "
                    + "a new L2 table is allocated too (spec 3.2).";
        }
        out.add(new PlanStep(PlanStep.Kind.DECISION, title, text));
    }

    private static void cow(WritePlan p, ClusterPlan c, List<PlanStep> out) {
        if (c.decision() == ClusterPlan.Decision.IN_PLACE) {
            return;
        }
        long n = c.guestOffset() >>> p.geometry().clusterBits();
        if (c.head().isEmpty() && c.tail().isEmpty()) {
            out.add(new PlanStep(PlanStep.Kind.COPY_ON_WRITE, "Cluster " + n + ": no copy-on-write",
                    "The write covers whole subclusters, so no byte around it has to be copied (spec 3.6 B)."));
            return;
        }
        List<String> parts = new ArrayList<>();
        if (!c.head().isEmpty()) {
            parts.add(region(c.head(), p) + " before the data");
        }
        if (!c.tail().isEmpty()) {
            parts.add(region(c.tail(), p) + " after it");
        }
        String text = "Copy-on-write fills " + String.join(" and ", parts) + ". ";
        if (c.cowWritten()) {
            text += (c.head().length() + c.tail().length()) + " bytes are written with the guest's "
                    + (c.to() - c.from()) + " in one write into the cluster.";
        } else {
            text += "They already read as zeros in the new cluster past the end of the file, so they are not written "
                    + "(QEMU zeroes them with fallocate).";
        }
        out.add(new PlanStep(PlanStep.Kind.COPY_ON_WRITE, "Cluster " + n + ": copy-on-write", text));
    }

    private static String region(ClusterPlan.CowRegion r, WritePlan p) {
        String src = r.sources().stream().map(s -> source(s.source(), p)).distinct().collect(Collectors.joining(" and "));
        return "[" + hex(r.start()) + ", " + hex(r.end()) + ") (" + r.length() + " bytes, from " + src + ")";
    }

    private static String source(CowSource s, WritePlan p) {
        return switch (s) {
            case OLD_CLUSTER -> "the old cluster";
            case COMPRESSED -> "the compressed cluster";
            case BACKING_FILE -> "the backing file " + p.backingFile();
            case ZEROS -> "zeros";
        };
    }

    private static void allocation(WritePlan p, List<PlanStep> out) {
        var inc = p.refcountChanges().stream().filter(r -> r.before() == 0 && r.after() > 0).toList();
        if (inc.isEmpty()) {
            out.add(new PlanStep(PlanStep.Kind.ALLOCATION, "No allocation", "Every host cluster the write needs exists "
                    + "already: no refcount changes."));
            return;
        }
        long cs = p.geometry().clusterSize();
        long endCluster = (p.fileSizeBefore() + cs - 1) / cs;
        String list = inc.stream().limit(8).map(r -> "cluster " + r.cluster() + " at " + hex(r.cluster() * cs)
                + " (" + role(p, r.cluster() * cs) + ")").collect(Collectors.joining(", "));
        boolean atEnd = inc.get(0).cluster() >= endCluster;
        out.add(new PlanStep(PlanStep.Kind.ALLOCATION, "Host clusters allocated (first fit)",
                "QEMU's allocator takes the first free clusters from its free index, one run per request: " + list
                        + (inc.size() > 8 ? " and " + (inc.size() - 8) + " more" : "") + ". "
                        + (atEnd ? "No free cluster lay inside the file, so they go at its end (cluster " + endCluster
                                + ")." : "The first lies in a free hole inside the file.")));
    }

    private static String role(WritePlan p, long host) {
        for (ClusterPlan c : p.clusters()) {
            if (c.decision() == ClusterPlan.Decision.NEW_CLUSTER && L2Entry.hostOffset(c.newWord0()) == host) {
                return "data";
            }
        }
        for (WritePlan.L1Change l : p.l1Changes()) {
            if (L1Entry.l2Offset(l.after()) == host) {
                return "L2 table";
            }
        }
        for (HostEvent e : p.events()) {
            if (e.kind() == HostEvent.Kind.WRITE && e.position() == host) {
                return e.role().label();
            }
        }
        return "metadata";
    }

    private static void events(WritePlan p, List<PlanStep> out) {
        boolean ext = p.geometry().extendedL2();
        int phaseWrites = 0;
        boolean phaseHasDecrement = false;
        String phaseWhat = "";
        for (HostEvent e : p.events()) {
            switch (e.kind()) {
                case FLUSH -> {
                    if (phaseWrites > 0) {
                        out.add(new PlanStep(PlanStep.Kind.SYNC, "Sync (fdatasync)", syncReason(phaseWhat,
                                phaseHasDecrement)));
                    }
                    phaseWrites = 0;
                    phaseHasDecrement = false;
                    phaseWhat = "";
                }
                case TRUNCATE -> {
                    phaseWrites++;
                    out.add(new PlanStep(PlanStep.Kind.DATA, "File grown to " + hex(e.position()),
                            "The new cluster ends past the old end of the file; the file is extended to cover it."));
                }
                case PUNCH -> {
                    phaseWrites++;
                    out.add(new PlanStep(PlanStep.Kind.FREE, "Hole punched at " + hex(e.position()),
                            e.length() + " bytes of a freed cluster are given back to the host file system."));
                }
                case WRITE -> {
                    phaseWrites++;
                    phaseWhat = phaseWhat.isEmpty() || phaseWhat.equals(e.role().name()) ? e.role().name() : "MIXED";
                    switch (e.role()) {
                        case GUEST_DATA -> out.add(new PlanStep(PlanStep.Kind.DATA, "Data written at "
                                + hex(e.position()), e.length() + " bytes (the guest's and the copy-on-write regions) "
                                + "go to the data cluster at once, before any metadata points at them."));
                        case REFCOUNT_BLOCK -> {
                            List<WritePlan.RefcountChange> rc = p.refcountChanges().stream()
                                    .filter(r -> r.phase() == e.phase() && r.fileOffset() >= e.position()
                                            && r.fileOffset() < e.position() + e.length()).toList();
                            phaseHasDecrement |= rc.stream().anyMatch(r -> !r.increment());
                            out.add(new PlanStep(rc.stream().allMatch(WritePlan.RefcountChange::increment)
                                    ? PlanStep.Kind.REFCOUNT : PlanStep.Kind.FREE, "Refcount block at "
                                    + hex(e.position()) + " written", refcounts(rc)));
                        }
                        case L2_TABLE -> out.add(new PlanStep(PlanStep.Kind.L2, "L2 table at " + hex(e.position())
                                + " written", l2(p, e, ext)));
                        case L1_TABLE -> out.add(new PlanStep(PlanStep.Kind.L1, "L1 table updated", p.l1Changes()
                                .stream().filter(l -> l.phase() == e.phase() && l.fileOffset() == e.position())
                                .map(l -> "L1[" + l.index() + "] goes from " + hex(l.before()) + " to " + hex(l.after())
                                        + ": it points at the L2 table " + hex(L1Entry.l2Offset(l.after()))
                                        + (L1Entry.copied(l.after()) ? " with COPIED set" : "") + ".")
                                .collect(Collectors.joining(" "))));
                        case HEADER -> out.add(new PlanStep(PlanStep.Kind.HEADER, "Header written", e.length()
                                + " bytes at " + hex(e.position()) + ": feature bits (the dirty bit of lazy refcounts, "
                                + "or autoclear bits this writer does not maintain, spec 1.3 and 4.3)."));
                        default -> out.add(new PlanStep(PlanStep.Kind.REFCOUNT, e.role().label() + " written",
                                e.length() + " bytes at " + hex(e.position()) + "."));
                    }
                }
            }
        }
    }

    private static String syncReason(String what, boolean decrement) {
        return switch (what) {
            case "L2_TABLE" -> "The L2 entries are on disk before the L1 table points at a new table or any reference "
                    + "is dropped (spec B.3).";
            case "L1_TABLE" -> "The L1 entry is on disk; only now may references the old tables held be dropped.";
            case "REFCOUNT_BLOCK" -> decrement ? "The decrements are on disk; a freed cluster may be reused only now."
                    : "The new refcounts are on disk before anything points at the clusters (spec B.3).";
            default -> "Data and refcount increments are on disk before any L2 entry points at them: a crash "
                    + "now leaves at most a leaked cluster, never a reference to unaccounted space (spec B.3).";
        };
    }

    private static String refcounts(List<WritePlan.RefcountChange> rc) {
        if (rc.isEmpty()) {
            return "The block is written (no entry changed).";
        }
        String s = rc.stream().limit(6).map(r -> "cluster " + r.cluster() + " " + r.before() + " -> " + r.after())
                .collect(Collectors.joining(", "));
        boolean inc = rc.stream().allMatch(WritePlan.RefcountChange::increment);
        return (inc ? "Increments: " : "Changes: ") + s + (rc.size() > 6 ? " and " + (rc.size() - 6) + " more" : "")
                + (inc ? "." : ". A decrement waits until no table on disk points at the cluster (spec B.3).");
    }

    private static String l2(WritePlan p, HostEvent e, boolean ext) {
        List<WritePlan.L2Change> ch = p.l2Changes().stream().filter(l -> l.phase() == e.phase()
                && l.fileOffset() >= e.position() && l.fileOffset() < e.position() + e.length()).toList();
        if (ch.isEmpty()) {
            return "The table is written (no entry changed).";
        }
        String s = ch.stream().limit(4).map(l -> "entry " + l.index() + " (guest " + hex(l.guestOffset()) + ") "
                + entry(l.word0Before(), l.bitmapBefore(), ext) + " -> " + entry(l.word0After(), l.bitmapAfter(), ext))
                .collect(Collectors.joining("; "));
        return s + (ch.size() > 4 ? "; and " + (ch.size() - 4) + " more" : "") + ".";
    }

    /** An L2 entry in words: host offset and flags, and the bitmap with extended L2. */
    static String entry(long w0, long bm, boolean ext) {
        StringBuilder b = new StringBuilder();
        if (L2Entry.isCompressed(w0)) {
            b.append("compressed");
        } else if (L2Entry.hostOffset(w0) == 0) {
            b.append("unallocated");
        } else {
            b.append("host ").append(hex(L2Entry.hostOffset(w0)));
        }
        if (L2Entry.copied(w0)) {
            b.append(", COPIED");
        }
        if (!ext && (w0 & L2Entry.ZERO) != 0 && !L2Entry.isCompressed(w0)) {
            b.append(", zero flag");
        }
        if (ext) {
            b.append(", bitmap ").append(bitmap(bm));
        }
        return b.toString();
    }

    private static String bitmap(long bm) {
        return String.format(Locale.ROOT, "alloc 0x%08x zero 0x%08x", bm & 0xFFFFFFFFL, bm >>> 32);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String size(long b) {
        return io.qcowscope.app.ui.viewmodel.Sizes.bytes(b);
    }
}

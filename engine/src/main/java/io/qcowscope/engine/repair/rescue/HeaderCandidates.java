package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Candidate values for each damaged header field, from the evidence in the file (issue 14, spec 1.1-1.2). Each builder
 * returns the damage with its candidates, best first, and the default chosen only when the evidence is conclusive.
 */
final class HeaderCandidates {
    private final Storage file;
    private final HeaderEvidence ev;
    /** The rescue patches already chosen (fields earlier in QEMU's validation order). */
    private final List<Patch> earlier;
    private final ProgressMonitor monitor;

    HeaderCandidates(Storage file, HeaderEvidence ev, List<Patch> earlier, ProgressMonitor monitor) {
        this.file = file;
        this.ev = ev;
        this.earlier = List.copyOf(earlier);
        this.monitor = monitor;
    }

    /** The bytes of a header field set to {@code value}. */
    Patch field(int offset, int width, long value) {
        byte[] before = java.util.Arrays.copyOfRange(ev.head(), offset, offset + width);
        ByteBuffer after = ByteBuffer.allocate(width);
        if (width == 4) {
            after.putInt((int) value);
        } else {
            after.putLong(value);
        }
        return new Patch(offset, before, after.array(), HostClusterRole.HEADER);
    }

    private Candidate candidate(int offset, int width, long value, String evidence, int score) {
        return new Candidate(value, evidence, score, List.of(field(offset, width, value)));
    }

    /** Bytes 0..3: the magic, when the rest of the header and the tables look like qcow2. */
    HeaderDamage magic() throws IOException {
        return new HeaderDamage(FixKind.RESCUE_MAGIC, "magic", 0, 4, ev.u32(0), String.format("the magic is 0x%08x, "
                + "not QFI\\xfb", ev.u32(0)), List.of(candidate(0, 4, Qcow2Header.MAGIC & 0xFFFFFFFFL,
                        ev.qcow2Facts(), 1)), 0);
    }

    /** Bytes 4..7: version 3 when bytes 72..111 read as a v3 header, 2 when a header extension starts at 72. */
    HeaderDamage version() {
        long headerLength = ev.u32(100);
        boolean v3 = ev.u32(96) <= Limits.MAX_REFCOUNT_ORDER && headerLength >= Qcow2Header.V3_MIN_LENGTH
                && headerLength % 8 == 0 && headerLength <= 4096
                && (ev.u64(72) & ~FeatureBit.KNOWN_INCOMPATIBLE_MASK) == 0;
        int at72 = (int) ev.u32(72);
        boolean v2 = at72 == HeaderExtension.TYPE_END || at72 == HeaderExtension.TYPE_BACKING_FORMAT
                || at72 == HeaderExtension.TYPE_FEATURE_NAME_TABLE || at72 == HeaderExtension.TYPE_BITMAPS;
        List<Candidate> c = new ArrayList<>();
        if (v3) {
            c.add(candidate(4, 4, 3, String.format("bytes 72..111 read as a version 3 header: refcount_order %d, "
                    + "header_length %d, only known incompatible bits", ev.u32(96), headerLength), 2));
        }
        if (v2) {
            c.add(candidate(4, 4, 2, at72 == 0 ? "byte 72 starts an end-of-extensions marker, as in a version 2 "
                    : String.format("byte 72 starts a header extension (type 0x%08x), as in a version 2 header", at72),
                    1));
        }
        if (c.isEmpty()) {
            c.add(candidate(4, 4, 3, "QEMU writes version 3 (compat 1.1) by default; nothing else in the header says "
                    + "which", 0));
        }
        int chosen = c.size() == 1 && c.get(0).score() > 0 || c.size() > 1 && c.get(0).score() > c.get(1).score()
                ? 0 : -1;
        return new HeaderDamage(FixKind.RESCUE_VERSION, "version", 4, 4, ev.u32(4), "version " + ev.u32(4)
                + " is neither 2 nor 3", c, chosen);
    }

    /**
     * Bytes 20..23: the cluster sizes every table offset and L1 entry is aligned to; among them, the ones under which the
     * file opens, scored by how far its refcounts agree with the references found, whether l1_size is exactly what the
     * virtual size needs, and whether the file size is a whole number of clusters.
     */
    HeaderDamage clusterBits() throws IOException {
        List<Candidate> c = new ArrayList<>();
        int minBits = ev.extendedL2() ? Limits.MIN_EXTENDED_L2_CLUSTER_BITS : Limits.MIN_CLUSTER_BITS;
        List<Long> l2 = ev.l2Offsets();
        for (int bits = minBits; bits <= Limits.MAX_CLUSTER_BITS; bits++) {
            long cs = 1L << bits;
            if (!ev.placed(ev.l1Offset(), cs) || !ev.placed(ev.reftableOffset(), cs)
                    || (ev.reftable0() & (cs - 1)) != 0 || l2.stream().anyMatch(o -> (o & (cs - 1)) != 0)) {
                continue;
            }
            StringBuilder why = new StringBuilder(String.format("the L1 table, the refcount table, its first block "
                    + "and %d L2 table(s) are %d-byte aligned", l2.size(), cs));
            int score = 0;
            List<Patch> p = new ArrayList<>(earlier);
            p.add(field(20, 4, bits));
            TrialCheck.Outcome t = TrialCheck.run(file, p, monitor);
            if (t.opens()) {
                // opening at all is worth the default's threshold: other damage is the rest of the plan's to mend
                long problems = t.problems();
                score += problems == 0 ? 100 : 10 + (int) (79 - Math.min(79, problems));
                why.append(problems == 0 ? "; the refcounts agree with every reference found"
                        : problems >= Long.MAX_VALUE / 2 ? "; the check stops early"
                        : "; the check finds " + problems + " problem(s)");
            } else {
                why.append("; the image does not open: ").append(t.error().getMessage());
            }
            if (ev.neededL1(bits) == ev.l1Size()) {
                score += 5;
                why.append("; l1_size ").append(ev.l1Size()).append(" is exactly what the virtual size needs");
            }
            if (ev.fileSize() % cs == 0) {
                score += 1;
                why.append("; the file is a whole number of clusters");
            }
            c.add(candidate(20, 4, bits, why.toString(), score));
        }
        c.sort((a, b) -> Integer.compare(b.score(), a.score()));
        if (!c.isEmpty() && c.get(0).score() >= 10) {
            c.removeIf(x -> x.score() < 10); // sizes under which the image does not even open are no candidates
        }
        return new HeaderDamage(FixKind.RESCUE_CLUSTER_BITS, "cluster_bits", 20, 4, ev.u32(20),
                "cluster_bits " + ev.u32(20) + " is outside 9..21", c, conclusive(c, 10));
    }

    /** The best candidate when it opens (score at least {@code min}) and beats the next one; else none. */
    private static int conclusive(List<Candidate> c, int min) {
        if (c.isEmpty() || c.get(0).score() < min) {
            return -1;
        }
        return c.size() == 1 || c.get(0).score() > c.get(1).score() ? 0 : -1;
    }

    /**
     * Bytes 36..39: l1_size from the virtual size and cluster size (QEMU's rule). Grown only when the entries it adds are
     * zero or valid L2 pointers; an absurd l1_size is cut back to what the virtual size needs. The alternative: the virtual
     * size the present l1_size covers.
     */
    HeaderDamage l1Size(int clusterBits) throws IOException {
        long cs = 1L << clusterBits;
        long needed = ev.neededL1(clusterBits);
        long have = ev.l1Size();
        List<Candidate> c = new ArrayList<>();
        if (needed <= Limits.MAX_L1_ENTRIES) {
            String why = String.format("the virtual size %d needs %d entries of %d-byte clusters", ev.virtualSize(),
                    needed, cs);
            int score = 2;
            if (needed > have) {
                long[] extra = ev.words(ev.l1Offset() + 8 * have, needed - have);
                int bad = 0;
                for (long e : extra) {
                    long o = e & 0x00FFFFFFFFFFFE00L;
                    boolean valid = e == 0 || (e & 0x7F000000000001FFL) == 0 && (o & (cs - 1)) == 0
                            && o + cs <= ev.fileSize();
                    bad += valid ? 0 : 1;
                }
                bad += (int) (needed - have - extra.length);
                if (bad == 0) {
                    why += "; the entries it adds are zero or valid L2 pointers";
                } else {
                    why += "; " + bad + " of the entries it adds are no valid L2 pointer (they would read other bytes "
                            + "as L1 entries)";
                    score = 0;
                }
            } else {
                why += "; l1_size " + have + " is cut back to that";
            }
            c.add(candidate(36, 4, needed, why, score));
        }
        int l2Bits = clusterBits - (ev.extendedL2() ? 4 : 3);
        long covered = have <= Limits.MAX_L1_ENTRIES ? have << (clusterBits + l2Bits) : -1;
        if (covered > 0) {
            c.add(new Candidate(covered, String.format("the virtual size becomes what %d L1 entries cover; the disk then "
                    + "ends at %d bytes", have, covered), 1, List.of(field(24, 8, covered))));
        }
        int chosen = !c.isEmpty() && c.get(0).score() >= 2 ? 0 : -1;
        return new HeaderDamage(FixKind.RESCUE_L1_SIZE, "l1_size", 36, 4, have, String.format("l1_size %d does not fit "
                + "the virtual size %d (%d entries needed)", have, ev.virtualSize(), needed), c, chosen);
    }

    /**
     * Bytes 24..31: an absurd virtual size. First the sizes the snapshot table records (spec 4.1 {@code disk_size}) that
     * the L1 table can map: a snapshot taken at the current size gives the exact value back. Then what the L1 table
     * covers, a whole number of L2 tables' reach, which restores the data but rounds the disk up.
     */
    HeaderDamage virtualSize(int clusterBits) throws IOException {
        int l2Bits = clusterBits - (ev.extendedL2() ? 4 : 3);
        long have = Math.min(ev.l1Size(), Limits.MAX_L1_ENTRIES);
        long covered = have << (clusterBits + l2Bits);
        List<Candidate> exact = new ArrayList<>();
        List<Candidate> smaller = new ArrayList<>();
        for (long size : ev.snapshotDiskSizes()) {
            if (size > covered) {
                continue;
            }
            if (size > covered - (1L << (clusterBits + l2Bits)) && nothingMappedFrom(size, clusterBits, l2Bits, have)) {
                exact.add(candidate(24, 8, size, String.format("the disk size a snapshot records (%d): it needs "
                        + "exactly the %d L1 entries the header has and no L2 entry maps past it", size, have), 2));
            } else {
                // Data may lie past it (the disk grew since the snapshot): never the default.
                smaller.add(candidate(24, 8, size, String.format("the disk size a snapshot records (%d), smaller than "
                        + "what the L1 table maps: guest data past it would be cut off", size), 0));
            }
        }
        List<Candidate> c = new ArrayList<>(exact);
        c.add(candidate(24, 8, covered, String.format("what the %d L1 entries cover", have), 1));
        c.addAll(smaller);
        int chosen = covered > 0 ? 0 : -1;
        return new HeaderDamage(FixKind.RESCUE_VIRTUAL_SIZE, "size", 24, 8, ev.virtualSize(), String.format(
                "the virtual size 0x%x is more than any L1 table maps", ev.virtualSize()), List.copyOf(c), chosen);
    }

    /**
     * True when the last L1 entry's L2 table (spec 3.1, 3.2) maps no guest cluster at or past {@code size}: every entry
     * from there to the end of the table is zero. An unreadable table is no evidence.
     */
    private boolean nothingMappedFrom(long size, int clusterBits, int l2Bits, long l1Entries) throws IOException {
        long[] l1 = ev.words(ev.l1Offset() + 8 * (l1Entries - 1), 1);
        if (l1.length == 0) {
            return false;
        }
        long l2 = l1[0] & 0x00FFFFFFFFFFFE00L;
        if (l2 == 0) {
            return true;
        }
        long cs = 1L << clusterBits;
        if (!ev.placed(l2, cs) || l2 > ev.fileSize() - cs) {
            return false;
        }
        long first = (size - ((l1Entries - 1) << (clusterBits + l2Bits)) + cs - 1) >> clusterBits;
        int words = ev.extendedL2() ? 2 : 1;
        ByteBuffer t = ByteBuffer.wrap(file.read(l2, (int) cs));
        for (long i = first * words; i < (1L << l2Bits) * words; i++) {
            if (t.getLong((int) (8 * i)) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Bytes 96..99: each width 1..64 tried; the one under which the stored refcounts agree with the references found.
     * When none agrees, 16 bits (QEMU's default) and the plan's refcount rebuild. 16 bits is tried first: when every
     * refcount agrees under it, the header cluster's refcount 1 (bytes 00 01, spec 4.2) reads 0 or more than 1 under every
     * other width, so the others are listed untried (each trial is a full check, minutes on a large image).
     */
    HeaderDamage refcountOrder() throws IOException {
        List<Candidate> c = new ArrayList<>();
        int[] orders = {4, 0, 1, 2, 3, 5, 6};
        for (int order : orders) {
            if (!c.isEmpty() && c.get(0).score() == 100) {
                c.add(candidate(96, 4, order, "not tried: the stored 16-bit refcounts already agree with every "
                        + "reference found", 0));
                continue;
            }
            List<Patch> p = new ArrayList<>(earlier);
            p.add(field(96, 4, order));
            TrialCheck.Outcome t = TrialCheck.run(file, p, monitor);
            String why;
            int score;
            if (!t.opens()) {
                why = "the image does not open: " + t.error().getMessage();
                score = 0;
            } else if (t.problems() == 0) {
                why = "the stored " + (1 << order) + "-bit refcounts agree with every reference found";
                score = 100;
            } else {
                long n = t.problems();
                why = n >= Long.MAX_VALUE / 2 ? "the check stops early" : "the check finds " + n + " problem(s) under "
                        + (1 << order) + "-bit refcounts; the plan rebuilds the refcounts";
                score = (int) Math.max(1, 90 - Math.min(89, n)) + (order == 4 ? 1 : 0);
            }
            c.add(candidate(96, 4, order, why, score));
        }
        c.sort((a, b) -> Integer.compare(b.score(), a.score()));
        return new HeaderDamage(FixKind.RESCUE_REFCOUNT_ORDER, "refcount_order", 96, 4, ev.u32(96), "refcount_order "
                + ev.u32(96) + " is outside 0..6", c, conclusive(c, 1));
    }

    /** Bytes 72..79: incompatible bits no QEMU knows, shown by number; clearing them is never the default. */
    HeaderDamage unknownIncompatible() {
        long features = ev.u64(72);
        long unknown = features & ~FeatureBit.KNOWN_INCOMPATIBLE_MASK;
        List<String> bits = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            if ((unknown & (1L << b)) != 0) {
                bits.add(Integer.toString(b));
            }
        }
        String named = "bit(s) " + String.join(", ", bits);
        List<Candidate> c = List.of(candidate(72, 8, features & FeatureBit.KNOWN_INCOMPATIBLE_MASK, "clears " + named
                + "; if the image really uses such a feature, its data may then read wrong", 0));
        return new HeaderDamage(FixKind.CLEAR_UNKNOWN_INCOMPATIBLE, "incompatible_features", 72, 8, features,
                "incompatible feature " + named + " unknown to QEMU 7.2", c, -1);
    }
}

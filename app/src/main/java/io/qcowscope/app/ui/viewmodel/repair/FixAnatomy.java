package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.image.RefcountReader;
import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.Patch;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads what each fix of a plan touches from its patches: an 8-byte word in an L1 table re-points an L2 table, the words
 * of an L2 entry (spec 3.3, 3.5) re-point a data cluster or flip subcluster bits, bytes in a refcount block (spec 4.1) set
 * refcounts. Runs off the UI thread on an image open read-only.
 */
final class FixAnatomy {
    private final Qcow2Image img;
    private final Geometry g;
    /** Refcount block offset -> refcount table index. */
    private final Map<Long, Integer> blocks = new HashMap<>();
    private final long[] l1;

    /** Host clusters whose refcount the check found wrong: what a rebuild changes (spec 5.5). */
    private final long[] wrongRefcounts;

    FixAnatomy(Qcow2Image img, io.qcowscope.engine.check.CheckResult check) {
        this.img = img;
        this.wrongRefcounts = check.findings().stream().filter(f -> f.hostCluster() >= 0 && switch (f.kind()) {
            case LEAKED_CLUSTER, REFCOUNT_ZERO, REFCOUNT_TOO_LOW -> true;
            default -> false;
        }).mapToLong(io.qcowscope.engine.check.Finding::hostCluster).distinct().sorted().toArray();
        this.g = img.geometry();
        RefcountReader rc = img.refcounts();
        for (int i = 0; i < rc.reftableEntries(); i++) {
            long b = ReftableEntry.blockOffset(rc.reftableEntry(i));
            if (b != 0) {
                blocks.putIfAbsent(b, i);
            }
        }
        this.l1 = img.l1Table();
    }

    FixFacts of(Fix f) {
        TreeSet<Long> hosts = new TreeSet<>();
        TreeSet<Long> entries = new TreeSet<>();
        TreeMap<Long, Long> refcounts = new TreeMap<>();
        TreeMap<Long, Long> deltas = new TreeMap<>();
        TreeSet<Integer> subs = new TreeSet<>();
        long table = -1;
        int index = -1;
        int reftable = -1;
        long refblock = -1;
        long host = -1;
        int entrySize = g.l2EntrySize();
        for (Patch p : f.patches()) {
            hosts.add(p.offset() >>> g.clusterBits());
            if (p.into() == HostClusterRole.REFCOUNT_BLOCK) {
                long block = g.startOfCluster(p.offset());
                Integer r = blocks.get(block);
                if (r != null) {
                    reftable = r;
                    refblock = block;
                    decodeRefcounts(p, block, r, refcounts);
                }
            } else if (p.into() == HostClusterRole.ACTIVE_L1 || p.into() == HostClusterRole.SNAPSHOT_L1) {
                long before = L1Entry.l2Offset(word(p.before()));
                long after = L1Entry.l2Offset(word(p.after()));
                repoint(before, after, hosts, deltas);
            } else if (p.into() == HostClusterRole.L2_TABLE && p.length() == 8) {
                long entry = p.offset() - (p.offset() - g.startOfCluster(p.offset())) % entrySize;
                entries.add(entry);
                table = g.startOfCluster(p.offset());
                index = (int) ((entry - table) / entrySize);
                if (p.offset() == entry) {
                    long before = word(p.before());
                    long after = word(p.after());
                    long b = L2Entry.isCompressed(before) ? 0 : L2Entry.hostOffset(before);
                    long a = L2Entry.isCompressed(after) ? 0 : L2Entry.hostOffset(after);
                    if (host < 0 && b != 0) {
                        host = b >>> g.clusterBits();
                    }
                    repoint(b, a, hosts, deltas);
                } else {
                    // the subcluster bitmap (spec 3.5): bits 0-31 allocation, 32-63 reads as zeros
                    long changed = word(p.before()) ^ word(p.after());
                    for (int i = 0; i < 64; i++) {
                        if ((changed >>> i & 1) != 0) {
                            subs.add(i & 31);
                        }
                    }
                }
            }
        }
        if (host < 0 && entries.size() == 1) {
            // only the bitmap changes: the data cluster is the one the entry's first word points at
            host = dataClusterOf(entries.first());
        }
        if (f.patches().isEmpty() && f.byteOffset() >= 0) {
            hosts.add(f.byteOffset() >>> g.clusterBits());
        }
        if (f.kind() == io.qcowscope.engine.repair.FixKind.REBUILD_REFCOUNTS) {
            // the old table and blocks are abandoned; every wrong refcount is written anew (-1: computed at apply)
            for (long b : blocks.keySet()) {
                hosts.add(b >>> g.clusterBits());
            }
            for (long c : wrongRefcounts) {
                hosts.add(c);
                refcounts.put(c, -1L);
            }
        }
        if (host < 0 && refcounts.size() == 1) {
            host = refcounts.firstKey();
        }
        if (host >= 0 && entries.size() == 1 && subs.isEmpty() && deltas.isEmpty()) {
            hosts.add(host);
        }
        if (!subs.isEmpty() && host >= 0) {
            hosts.add(host);
        }
        int l1Index = table < 0 ? -1 : l1IndexOf(table);
        long guest = f.guestOffset() >= 0 ? f.guestOffset() >>> g.clusterBits()
                : l1Index >= 0 && index >= 0 ? (long) l1Index * g.l2Entries() + index : -1;
        if (l1Index < 0 && f.guestOffset() >= 0) {
            l1Index = (int) g.l1Index(f.guestOffset());
        }
        long[] d = new long[deltas.size() * 2];
        int k = 0;
        for (Map.Entry<Long, Long> e : deltas.entrySet()) {
            d[k++] = e.getKey();
            d[k++] = e.getValue();
        }
        FixPreview planned = new FixPreview(toArray(hosts), toArray(entries), toArray(refcounts.keySet()),
                refcounts.values().stream().mapToLong(Long::longValue).toArray());
        // a subcluster fix reaches exactly its subclusters (spec 3.5), less than the cluster the finding names
        long start = subs.isEmpty() || guest < 0 ? -1
                : (guest << g.clusterBits()) + (long) subs.first() * g.subclusterSize();
        long length = start < 0 ? 0 : (long) (subs.last() - subs.first() + 1) * g.subclusterSize();
        return new FixFacts(l1Index, table, index, subs.stream().mapToInt(Integer::intValue).toArray(), guest, host,
                reftable, refblock, planned, d, start, length);
    }

    private void repoint(long before, long after, TreeSet<Long> hosts, TreeMap<Long, Long> deltas) {
        if (before == after) {
            return;
        }
        if (before != 0) {
            hosts.add(before >>> g.clusterBits());
            deltas.merge(before >>> g.clusterBits(), -1L, Long::sum);
        }
        if (after != 0) {
            hosts.add(after >>> g.clusterBits());
            deltas.merge(after >>> g.clusterBits(), 1L, Long::sum);
        }
    }

    /** The refcounts a patch of refcount block {@code r} (at {@code block}) writes, by host cluster (spec 4.1). */
    private void decodeRefcounts(Patch p, long block, int r, TreeMap<Long, Long> out) {
        int bits = g.refcountBits();
        long firstByte = p.offset() - block;
        byte[] blockBefore = new byte[(int) g.clusterSize()];
        byte[] blockAfter = new byte[(int) g.clusterSize()];
        System.arraycopy(p.before(), 0, blockBefore, (int) firstByte, p.length());
        System.arraycopy(p.after(), 0, blockAfter, (int) firstByte, p.length());
        long first = firstByte * 8 / bits;
        long last = ((firstByte + p.length()) * 8 - 1) / bits;
        for (long i = first; i <= last; i++) {
            long b = RefcountBlockCodec.get(blockBefore, i, g.refcountOrder());
            long a = RefcountBlockCodec.get(blockAfter, i, g.refcountOrder());
            if (a != b) {
                out.put((long) r * g.refblockEntries() + i, a);
            }
        }
    }

    private long dataClusterOf(long entry) {
        try {
            long w = word(img.storage().read(entry, 8));
            return L2Entry.isCompressed(w) || L2Entry.hostOffset(w) == 0 ? -1 : L2Entry.hostOffset(w) >>> g.clusterBits();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private int l1IndexOf(long table) {
        for (int i = 0; i < l1.length; i++) {
            if (L1Entry.l2Offset(l1[i]) == table) {
                return i;
            }
        }
        return -1;
    }

    private static long word(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }

    private static long[] toArray(java.util.Collection<Long> c) {
        return c.stream().mapToLong(Long::longValue).toArray();
    }
}

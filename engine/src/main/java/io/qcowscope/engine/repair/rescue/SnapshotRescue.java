package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Snapshot table entries whose L1 table is unreadable (issue 14: offset 0, unaligned, past the end of the file, or a size
 * no L1 table has): point the entry at the table {@link SnapshotL1Search} finds, shown with its score, or drop the
 * snapshot, which loses that point in time. The refcounts are then recomputed from the references found, so no cluster
 * another snapshot still needs is freed (QEMU's {@code -r leaks} frees the unreadable snapshot's clusters).
 */
final class SnapshotRescue {
    private SnapshotRescue() {
    }

    /** Why the snapshot's L1 table cannot be read, or null when it can. */
    static String unreadable(Qcow2Image img, SnapshotEntry s) throws IOException {
        long cs = img.geometry().clusterSize();
        long o = s.l1TableOffset();
        if (s.l1Size() > Limits.MAX_L1_ENTRIES) {
            return "l1_size " + s.l1Size() + " is more than any L1 table holds";
        }
        if (s.l1Size() == 0) {
            return null;
        }
        if (o == 0) {
            return "its L1 table offset is 0";
        }
        if ((o & (cs - 1)) != 0) {
            return String.format("its L1 table offset 0x%x is not cluster aligned", o);
        }
        if (o < 0 || o + 8 * s.l1Size() > img.storage().size()) {
            return String.format("its L1 table at 0x%x runs past the end of the file (%d bytes)", o,
                    img.storage().size());
        }
        return null;
    }

    static void plan(Qcow2Image img, FixList out, ProgressMonitor monitor) throws IOException {
        List<SnapshotEntry> all = img.snapshots();
        List<SnapshotEntry> readable = new ArrayList<>();
        List<SnapshotEntry> broken = new ArrayList<>();
        for (SnapshotEntry s : all) {
            (unreadable(img, s) == null ? readable : broken).add(s);
        }
        if (broken.isEmpty()) {
            return;
        }
        BitSet claimed = SnapshotL1Search.claimed(img, readable);
        long tableAt = img.header().snapshotsOffset();
        List<SnapshotEntry> lost = new ArrayList<>();
        List<String> lostWhy = new ArrayList<>();
        for (SnapshotEntry s : broken) {
            String name = name(s);
            String why = name + ": " + unreadable(img, s);
            SnapshotL1Search.Found f = s.offset() + 12 > img.storage().size() ? null
                    : SnapshotL1Search.search(img, s, claimed, monitor);
            if (f == null) {
                lost.add(s);
                lostWhy.add(why + "; no table in the file reads as its L1 table");
                continue;
            }
            List<Patch> p = new ArrayList<>();
            p.add(word(img, s.offset(), f.offset()));
            if (f.entries() != s.l1Size()) {
                p.add(u32(img, s.offset() + 8, f.entries()));
            }
            int search = out.add(FixKind.RELINK_SNAPSHOT_L1, name + ".l1_table_offset", s.offset(), p, null, why
                    + "; found its L1 table, score " + f.score() + ": " + f.evidence(), -1, 0, -1, true);
            claimed.set((int) (f.offset() >>> img.geometry().clusterBits()));
            List<Patch> drop = drop(img, all, List.of(s), tableAt);
            if (drop != null) {
                out.add(FixKind.DROP_UNREADABLE_SNAPSHOT, name, s.offset(), drop, null, why + "; dropping it loses that "
                        + "snapshot's point in time (the active disk reads as before)", -1, 0, search, false);
            }
        }
        List<Patch> drop = lost.isEmpty() ? null : drop(img, all, lost, tableAt);
        if (drop != null) {
            // One fix drops them all: each rewrite of the table includes the others.
            out.add(FixKind.DROP_UNREADABLE_SNAPSHOT, lost.stream().map(SnapshotRescue::name).reduce((a, b) -> a + ", " + b)
                    .orElseThrow(), lost.get(0).offset(), drop, null, String.join("; ", lostWhy)
                    + "; dropping loses that point in time (the active disk reads as before)", -1, 0, -1, true);
        }
    }

    private static String name(SnapshotEntry s) {
        return String.format("snapshot[%d] (id %s, %s)", s.index(), s.id(), s.name());
    }

    /**
     * The snapshot table rewritten in place without {@code gone}, and nb_snapshots that many less (spec 4.4); null when
     * the entries kept would not fit inside the file.
     */
    private static List<Patch> drop(Qcow2Image img, List<SnapshotEntry> all, List<SnapshotEntry> gone, long tableAt)
            throws IOException {
        long end = tableAt;
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        for (SnapshotEntry s : all) {
            end = Math.max(end, s.offset() + s.length());
            if (!gone.contains(s)) {
                kept.writeBytes(img.storage().read(s.offset(), s.length()));
            }
        }
        // The rewrite stays inside the file: a table cut short by the end of the file is rewritten up to there.
        end = Math.min(end, img.storage().size());
        byte[] k = kept.toByteArray();
        if (end < tableAt || k.length > end - tableAt) {
            return null;
        }
        byte[] before = img.storage().read(tableAt, (int) (end - tableAt));
        byte[] after = new byte[before.length];
        System.arraycopy(k, 0, after, 0, k.length);
        List<Patch> p = new ArrayList<>();
        p.add(new Patch(tableAt, before, after, HostClusterRole.SNAPSHOT_TABLE));
        p.add(new Patch(60, img.storage().read(60, 4), ByteBuffer.allocate(4).putInt(all.size() - gone.size()).array(),
                HostClusterRole.HEADER));
        return p;
    }

    private static Patch word(Qcow2Image img, long at, long value) throws IOException {
        return new Patch(at, img.storage().read(at, 8), ByteBuffer.allocate(8).putLong(value).array(),
                HostClusterRole.SNAPSHOT_TABLE);
    }

    private static Patch u32(Qcow2Image img, long at, long value) throws IOException {
        return new Patch(at, img.storage().read(at, 4), ByteBuffer.allocate(4).putInt((int) value).array(),
                HostClusterRole.SNAPSHOT_TABLE);
    }
}

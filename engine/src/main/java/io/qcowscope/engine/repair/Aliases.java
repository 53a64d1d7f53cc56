package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pointers into other structures (issue 15): an active L1 entry whose L2 table is exclusive metadata, an active L2 entry
 * whose data cluster is metadata, a snapshot table the header places inside another structure. Each pointer is the damage;
 * the planner fixes the pointer and leaves the structure it hits alone. Found from the check's claims and one walk of the
 * active tables.
 */
record Aliases(List<Table> tables, List<Data> data, SnapshotTable snapshotTable) {

    /** Active L1 entry {@code l1Index} (at {@code entryOffset}) names an L2 table at a cluster {@code hit} owns. */
    record Table(int l1Index, long entryOffset, long raw, long l2Offset, MetadataClaims.Claim hit) {
    }

    /** An active L2 entry whose data cluster {@code hit} owns as metadata. */
    record Data(String path, long entryOffset, long word0, long guestOffset, MetadataClaims.Claim hit) {
    }

    /** The header's snapshot table pointer lands on {@code hit}. */
    record SnapshotTable(long count, long offset, MetadataClaims.Claim hit) {
    }

    /** Cap on the data aliases listed one by one; past it the rest is left to the other fixes. */
    static final int MAX_DATA = 4096;

    static Aliases find(Qcow2Image img, MetadataClaims claims, ProgressMonitor monitor) throws IOException {
        Geometry g = img.geometry();
        List<Table> tables = new ArrayList<>();
        long[] l1 = img.l1Table();
        long fileClusters = g.clustersFor(img.storage().size());
        for (int i = 0; i < l1.length; i++) {
            long l2 = L1Entry.l2Offset(l1[i]);
            long c = l2 >>> g.clusterBits();
            // An entry with flags and offset 0: QEMU's check walks the header as its L2 table (spec 5.2).
            if (l1[i] == 0 || (l2 & g.clusterMask()) != 0 || c >= fileClusters) {
                continue;
            }
            MetadataClaims.Claim hit = exclusiveClaim(claims, c, null);
            if (hit != null) {
                tables.add(new Table(i, img.header().l1TableOffset() + 8L * i, l1[i], l2, hit));
            }
        }
        Set<Integer> dropped = new HashSet<>();
        tables.forEach(t -> dropped.add(t.l1Index()));
        SnapshotTable snapshotTable = snapshotTable(img, claims);
        List<Data> data = new ArrayList<>();
        ActiveTables.walk(img, monitor, new ActiveTables.Visitor() {
            @Override
            public void l1Entry(int l1Index, long entryOffset, long raw, long l2Offset) {
            }

            @Override
            public void clusterEntry(int l1Index, long l2Offset, int l2Index, long entryOffset, long w, long guest) {
                long c = L2Entry.hostOffset(w) >>> g.clusterBits();
                if (dropped.contains(l1Index) || c >= fileClusters || data.size() >= MAX_DATA
                        || !claims.metadata(c)) {
                    return;
                }
                if (snapshotTable != null && claims.owners(c).stream().allMatch(o -> o.role() == HostClusterRole
                        .SNAPSHOT_L1 || o.role() == HostClusterRole.SNAPSHOT_L2_TABLE)) {
                    return;
                }
                List<MetadataClaims.Claim> owners = claims.owners(c).stream().filter(o -> snapshotTable == null
                        || o.role() != HostClusterRole.SNAPSHOT_L1 && o.role() != HostClusterRole.SNAPSHOT_L2_TABLE)
                        .toList();
                if (!owners.isEmpty()) {
                    data.add(new Data("L1[" + l1Index + "] -> L2@0x" + Long.toHexString(l2Offset) + "[" + l2Index + "]",
                            entryOffset, w, guest, owners.get(0)));
                }
            }
        });
        return new Aliases(tables, data, snapshotTable);
    }

    private static SnapshotTable snapshotTable(Qcow2Image img, MetadataClaims claims) throws IOException {
        long count = img.header().nbSnapshots();
        long offset = img.header().snapshotsOffset();
        if (count == 0) {
            return null;
        }
        int bits = img.geometry().clusterBits();
        long fileClusters = img.geometry().clustersFor(img.storage().size());
        List<Long> clusters = new ArrayList<>();
        clusters.add(offset >>> bits);
        if (img.snapshotError() == null) {
            for (SnapshotEntry e : img.snapshots()) {
                clusters.add(e.offset() >>> bits);
            }
        }
        for (long c : clusters) {
            MetadataClaims.Claim hit = c < fileClusters || c == 0
                    ? exclusiveClaim(claims, c, HostClusterRole.SNAPSHOT_TABLE) : null;
            if (hit != null) {
                return new SnapshotTable(count, offset, hit);
            }
        }
        return null;
    }

    /** An exclusive claim on cluster {@code c} other than one of role {@code self}, the header first; or null. */
    private static MetadataClaims.Claim exclusiveClaim(MetadataClaims claims, long c,
            HostClusterRole self) {
        MetadataClaims.Claim found = null;
        for (MetadataClaims.Claim k : claims.claims(c)) {
            if (k.exclusive() && k.role() != self
                    && (found == null || k.role() == HostClusterRole.HEADER)) {
                found = k;
            }
        }
        return found;
    }

    /**
     * True when a finding with this structure path was read through a pointer these fixes drop: an entry of a dropped L1
     * entry's "L2 table", the dropped L1 entry itself, or anything under a dropped snapshot table.
     */
    boolean covers(String path) {
        if (path == null) {
            return false;
        }
        if (snapshotTable != null && path.startsWith("snapshot")) {
            return true;
        }
        for (Table t : tables) {
            String l1 = "L1[" + t.l1Index() + "]";
            if (path.equals(l1) || path.startsWith(l1 + " -> ")) {
                return true;
            }
        }
        return false;
    }

    boolean dropsL1(long l1Index) {
        return tables.stream().anyMatch(t -> t.l1Index() == l1Index);
    }
}

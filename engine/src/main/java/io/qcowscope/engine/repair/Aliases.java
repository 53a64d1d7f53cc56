package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
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
record Aliases(List<Table> tables, List<DataTable> dataTables, List<Data> data, SnapshotTable snapshotTable,
        L1Trim l1Trim, List<SnapshotL1> snapshotL1s) {

    /**
     * L1 entry {@code l1Index} (at {@code entryOffset}) of the active table ({@code snapshot} -1) or of a snapshot's names
     * an L2 table at a cluster {@code hit} owns.
     */
    record Table(int snapshot, int l1Index, long entryOffset, long raw, long l2Offset, MetadataClaims.Claim hit) {
        String path() {
            return (snapshot < 0 ? "" : "snapshot[" + snapshot + "] ") + "L1[" + l1Index + "]";
        }

        HostClusterRole role() {
            return snapshot < 0 ? HostClusterRole.ACTIVE_L1 : HostClusterRole.SNAPSHOT_L1;
        }
    }

    /** Snapshot {@code snapshot}'s L1 table lies on a cluster {@code hit} owns. */
    record SnapshotL1(int snapshot, long l1Offset, MetadataClaims.Claim hit) {
        String path() {
            return "snapshot[" + snapshot + "]";
        }
    }

    /**
     * Active L1 entry {@code l1Index} names an L2 table at a cluster that is guest data ({@link DataAsTable#isData}):
     * {@code referencedAsData} when an active L2 entry maps it as data.
     */
    record DataTable(int l1Index, long entryOffset, long raw, long l2Offset, DataAsTable view,
            boolean referencedAsData) {
    }

    /**
     * The header's l1_size is larger than the virtual size needs and the extra entries run into other structures or guest
     * data: those entries are never read for the guest (spec 3.1), so the size is the damage, not the bytes they lie on.
     */
    record L1Trim(int l1Size, int needed) {
    }

    /** An active L2 entry whose data cluster {@code hit} owns as metadata. */
    record Data(String path, long entryOffset, long word0, long guestOffset, MetadataClaims.Claim hit) {
    }

    /** The header's snapshot table pointer lands on {@code hit}. */
    record SnapshotTable(long count, long offset, MetadataClaims.Claim hit) {
    }

    /** Cap on the data aliases listed one by one; past it the rest is left to the other fixes. */
    static final int MAX_DATA = 4096;

    static Aliases find(Qcow2Image img, MetadataClaims claims, ReferenceCounts refs, ProgressMonitor monitor)
            throws IOException {
        Geometry g = img.geometry();
        L1Trim trim = l1Trim(img, claims, refs, monitor);
        long l1At = img.header().l1TableOffset();
        // Past a trim, the L1 table's claim on the clusters beyond its true extent is no claim at all, nor are the claims
        // of the "L2 tables" its entries there name.
        long l1End = trim == null ? Long.MAX_VALUE : l1At + 8L * trim.needed();
        long l1Limit = trim == null ? Long.MAX_VALUE : trim.needed();
        java.util.function.Predicate<MetadataClaims.Claim> real = k -> switch (k.role()) {
            case ACTIVE_L1 -> (k.cluster() << g.clusterBits()) < l1End;
            case L2_TABLE -> Owner.table(k.owner()) != 0 || Owner.l1Index(k.owner()) < l1Limit;
            default -> true;
        };
        List<Table> tables = new ArrayList<>();
        long[] l1 = img.l1Table();
        int l1Count = (int) Math.min(l1.length, l1Limit);
        long fileClusters = g.clustersFor(img.storage().size());
        List<long[]> candidates = new ArrayList<>();
        for (int i = 0; i < l1Count; i++) {
            long l2 = L1Entry.l2Offset(l1[i]);
            long c = l2 >>> g.clusterBits();
            // An entry with flags and offset 0: QEMU's check walks the header as its L2 table (spec 5.2).
            if (l1[i] == 0 || (l2 & g.clusterMask()) != 0 || c >= fileClusters) {
                continue;
            }
            MetadataClaims.Claim hit = exclusiveClaim(claims, c, null, real);
            if (hit != null) {
                tables.add(new Table(-1, i, l1At + 8L * i, l1[i], l2, hit));
            } else if (l2 != 0 && L1Entry.reservedBits(l1[i]) == 0) {
                candidates.add(new long[] {c, i});
            }
        }
        candidates.sort((x, y) -> Long.compare(x[0], y[0]));
        long[] targets = candidates.stream().mapToLong(x -> x[0]).toArray();
        java.util.BitSet asData = new java.util.BitSet(targets.length);
        Set<Integer> dropped = new HashSet<>();
        tables.stream().filter(t -> t.snapshot() < 0).forEach(t -> dropped.add(t.l1Index()));
        SnapshotTable snapshotTable = snapshotTable(img, claims);
        List<SnapshotL1> snapshotL1s = new ArrayList<>();
        if (snapshotTable == null && img.snapshotError() == null) {
            snapshots(img, claims, real, tables, snapshotL1s);
        }
        List<Data> data = new ArrayList<>();
        ActiveTables.walkClusters(img, monitor, (l1Index, l2Offset, l2Index, entryOffset, w, guest) -> {
            long c = L2Entry.hostOffset(w) >>> g.clusterBits();
            int t = java.util.Arrays.binarySearch(targets, c);
            if (t >= 0 && l1Index < l1Limit && c != l2Offset >>> g.clusterBits()) {
                for (int k = t; k >= 0 && targets[k] == c; k--) {
                    asData.set(k);
                }
                for (int k = t; k < targets.length && targets[k] == c; k++) {
                    asData.set(k);
                }
            }
            if (dropped.contains(l1Index) || l1Index >= l1Limit || c >= fileClusters || data.size() >= MAX_DATA
                    || !claims.metadata(c)) {
                return;
            }
            if (snapshotTable != null && claims.owners(c).stream().allMatch(o -> o.role() == HostClusterRole
                    .SNAPSHOT_L1 || o.role() == HostClusterRole.SNAPSHOT_L2_TABLE)) {
                return;
            }
            List<MetadataClaims.Claim> owners = claims.owners(c).stream().filter(real).filter(o ->
                    snapshotTable == null || o.role() != HostClusterRole.SNAPSHOT_L1
                    && o.role() != HostClusterRole.SNAPSHOT_L2_TABLE).toList();
            if (!owners.isEmpty()) {
                data.add(new Data("L1[" + l1Index + "] -> L2@0x" + Long.toHexString(l2Offset) + "[" + l2Index + "]",
                        entryOffset, w, guest, owners.get(0)));
            }
        });
        List<DataTable> dataTables = dataTables(img, candidates, asData);
        Set<Long> dataClusters = new HashSet<>();
        for (DataTable t : dataTables) {
            dataClusters.add(t.l2Offset() >>> g.clusterBits());
        }
        // Entries read through a data-as-table pointer are garbage; a data entry whose cluster only that pointer makes an
        // "L2 table" is fine once the pointer is fixed.
        data.removeIf(d -> dataTables.stream().anyMatch(t -> d.path().startsWith("L1[" + t.l1Index() + "] -> "))
                || dataClusters.contains(d.hit().cluster()) && d.hit().role().group() == HostClusterRole.Group.L2);
        return new Aliases(tables, dataTables, data, snapshotTable, trim, snapshotL1s);
    }

    /**
     * Snapshot L1 tables that lie on another structure, and snapshot L1 entries whose L2 table is another structure
     * (exclusive metadata, as for the active table). Tables past the end, unaligned or too large are the check's findings.
     */
    private static void snapshots(Qcow2Image img, MetadataClaims claims,
            java.util.function.Predicate<MetadataClaims.Claim> real, List<Table> tables, List<SnapshotL1> out)
            throws IOException {
        Geometry g = img.geometry();
        long fileSize = img.storage().size();
        long fileClusters = g.clustersFor(fileSize);
        for (SnapshotEntry s : img.snapshots()) {
            long at = s.l1TableOffset();
            long n = s.l1Size();
            if (n == 0 || (at & g.clusterMask()) != 0 || n > io.qcowscope.engine.format.Limits.MAX_L1_ENTRIES
                    || at + 8 * n > fileSize || tables.size() >= MAX_DATA) {
                continue;
            }
            MetadataClaims.Claim onto = null;
            for (long c = at >>> g.clusterBits(); c <= (at + 8 * n - 1) >>> g.clusterBits() && onto == null; c++) {
                onto = exclusiveClaim(claims, c, HostClusterRole.SNAPSHOT_L1, real);
            }
            if (onto != null) {
                out.add(new SnapshotL1(s.index(), at, onto));
                continue;
            }
            java.nio.ByteBuffer l1 = java.nio.ByteBuffer.wrap(img.storage().read(at, (int) (8 * n)));
            for (int i = 0; i < n && tables.size() < MAX_DATA; i++) {
                long e = l1.getLong(8 * i);
                long l2 = L1Entry.l2Offset(e);
                long c = l2 >>> g.clusterBits();
                if (e == 0 || (l2 & g.clusterMask()) != 0 || c >= fileClusters) {
                    continue;
                }
                MetadataClaims.Claim hit = exclusiveClaim(claims, c, null, real);
                if (hit != null) {
                    tables.add(new Table(s.index(), i, at + 8L * i, e, l2, hit));
                }
            }
        }
    }

    /** The candidates (cluster, L1 index) whose cluster {@link DataAsTable#isData is guest data}. */
    private static List<DataTable> dataTables(Qcow2Image img, List<long[]> candidates, java.util.BitSet asData)
            throws IOException {
        Geometry g = img.geometry();
        List<DataTable> out = new ArrayList<>();
        if (g.extendedL2()) {
            return out;
        }
        long l1At = img.header().l1TableOffset();
        long[] l1 = img.l1Table();
        for (int k = 0; k < candidates.size() && out.size() < MAX_DATA; k++) {
            long c = candidates.get(k)[0];
            int i = (int) candidates.get(k)[1];
            DataAsTable view = DataAsTable.read(img.storage().read(c << g.clusterBits(), (int) g.clusterSize()), g,
                    img.storage().size());
            if (view.isData(asData.get(k))) {
                out.add(new DataTable(i, l1At + 8L * i, l1[i], c << g.clusterBits(), view, asData.get(k)));
            }
        }
        out.sort((x, y) -> Integer.compare(x.l1Index(), y.l1Index()));
        return out;
    }

    /**
     * {@link L1Trim}, when the entries past the virtual size lie on clusters another structure or the guest uses: a claim
     * or reference beside the L1 table's own, an L2 table of the entries in use, or a data cluster they map (refcounts of
     * narrow widths saturate, so the claims alone do not tell).
     */
    private static L1Trim l1Trim(Qcow2Image img, MetadataClaims claims, ReferenceCounts refs, ProgressMonitor monitor)
            throws IOException {
        Geometry g = img.geometry();
        long needed = g.l1EntriesFor(img.header().size());
        long[] l1 = img.l1Table();
        if (l1.length <= needed) {
            return null;
        }
        long l1At = img.header().l1TableOffset();
        long from = (l1At + 8L * needed) >>> g.clusterBits();
        if (needed > 0 && ((l1At + 8L * needed - 1) >>> g.clusterBits()) == from) {
            from++; // that cluster holds needed entries too: the table's own
        }
        long first = from;
        long to = (l1At + 8L * l1.length - 1) >>> g.clusterBits();
        L1Trim trim = new L1Trim(l1.length, (int) needed);
        long fileClusters = g.clustersFor(img.storage().size());
        for (long c = from; c <= to && c < fileClusters; c++) {
            if (refs.get(c) > 1 || claims.claims(c).stream().anyMatch(k -> k.role() != HostClusterRole.ACTIVE_L1)) {
                return trim;
            }
        }
        for (int i = 0; i < needed; i++) {
            long c = L1Entry.l2Offset(l1[i]) >>> g.clusterBits();
            if (l1[i] != 0 && c >= first && c <= to) {
                return trim;
            }
        }
        boolean[] hit = new boolean[1];
        ActiveTables.walkClusters(img, monitor, (l1Index, l2Offset, l2Index, entryOffset, w, guest) -> {
            long c = L2Entry.hostOffset(w) >>> g.clusterBits();
            hit[0] |= l1Index < needed && c >= first && c <= to;
        });
        return hit[0] ? trim : null;
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
                    ? exclusiveClaim(claims, c, HostClusterRole.SNAPSHOT_TABLE, k -> true) : null;
            if (hit != null) {
                return new SnapshotTable(count, offset, hit);
            }
        }
        return null;
    }

    /** An exclusive claim on cluster {@code c} other than one of role {@code self}, the header first; or null. */
    private static MetadataClaims.Claim exclusiveClaim(MetadataClaims claims, long c,
            HostClusterRole self, java.util.function.Predicate<MetadataClaims.Claim> real) {
        MetadataClaims.Claim found = null;
        for (MetadataClaims.Claim k : claims.claims(c)) {
            if (k.exclusive() && k.role() != self && real.test(k)
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
        for (String p : fixedPaths()) {
            if (path.equals(p) || path.startsWith(p + " -> ")) {
                return true;
            }
        }
        for (SnapshotL1 s : snapshotL1s) {
            if (path.equals(s.path()) || path.startsWith(s.path() + " ")) {
                return true;
            }
        }
        if (l1Trim != null && path.startsWith("L1[")) {
            int close = path.indexOf(']');
            try {
                return close > 3 && Long.parseLong(path.substring(3, close)) >= l1Trim.needed();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    /** Paths of the L1 entries whose pointer the alias fixes replace. */
    private List<String> fixedPaths() {
        List<String> out = new ArrayList<>();
        tables.forEach(t -> out.add(t.path()));
        dataTables.forEach(t -> out.add("L1[" + t.l1Index() + "]"));
        return out;
    }
}

package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.image.RefcountReader;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PROVISIONAL: the host layout and refcount findings computed app-side from the structures the engine exposes, until the
 * engine's {@code layout.HostLayout} and {@code check} package are merged; then this file is deleted and an adapter over
 * them takes its place. One streaming pass (spec 4): header, L1, refcount table and blocks, snapshot table and L1s,
 * bitmaps, every L2 table reachable from an L1 (active and snapshots) and the clusters its entries reference; then the
 * stored refcounts are compared with the references found (QEMU's check rules: fewer refs than refcount is a leak, more is
 * an error). Memory: 6 bytes per host cluster (a role byte, a reference count byte, an owner int), no object per cluster.
 */
public final class ProvisionalHostLayout implements HostLayoutSource, FindingsSource {
    private static final byte UNSET = -1;
    private static final int MAX_FINDINGS = 10_000;

    private final Qcow2Image image;
    private final Geometry geo;
    private final long clusterCount;
    private final byte[] roles;
    private final byte[] refs;
    private final int[] owners;
    private final long[] bytesPerRole = new long[HostClusterRole.values().length];
    private final List<Finding> findings = new ArrayList<>();
    private int findingsDropped;

    private ProvisionalHostLayout(Qcow2Image image, long fileSize) {
        this.image = image;
        this.geo = image.geometry();
        long n = (fileSize + geo.clusterSize() - 1) >>> geo.clusterBits();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("image file too large for the host map: " + n + " clusters");
        }
        this.clusterCount = Math.max(1, n);
        this.roles = new byte[(int) clusterCount];
        this.refs = new byte[(int) clusterCount];
        this.owners = new int[(int) clusterCount];
        Arrays.fill(roles, UNSET);
        Arrays.fill(owners, -1);
    }

    /** Scans the image; cancellable through the monitor. */
    public static ProvisionalHostLayout scan(Qcow2Image image, ProgressMonitor monitor) throws IOException {
        ProvisionalHostLayout l = new ProvisionalHostLayout(image, image.storage().size());
        l.run(monitor);
        return l;
    }

    private void run(ProgressMonitor monitor) throws IOException {
        Qcow2Header h = image.header();
        long cs = geo.clusterSize();
        markRange(0, cs, HostClusterRole.HEADER, 0, "header");
        markRange(h.l1TableOffset(), h.l1Size() * 8, HostClusterRole.L1, 0, "L1 table");
        markRange(h.refcountTableOffset(), h.refcountTableClusters() * cs, HostClusterRole.REFCOUNT_TABLE, 0,
                "refcount table");
        RefcountReader rc = image.refcounts();
        for (int r = 0; r < rc.reftableEntries(); r++) {
            long b = ReftableEntry.blockOffset(rc.reftableEntry(r));
            if (b != 0) {
                markRange(b, cs, HostClusterRole.REFCOUNT_BLOCK, r, "refcount block");
            }
        }
        List<SnapshotEntry> snaps = image.snapshots();
        if (!snaps.isEmpty()) {
            SnapshotEntry last = snaps.get(snaps.size() - 1);
            markRange(h.snapshotsOffset(), last.offset() + last.length() - h.snapshotsOffset(),
                    HostClusterRole.SNAPSHOT_TABLE, 0, "snapshot table");
            for (SnapshotEntry s : snaps) {
                markRange(s.l1TableOffset(), s.l1Size() * 8, HostClusterRole.SNAPSHOT_L1, s.index(), "snapshot L1");
            }
        }
        markBitmaps();

        List<long[]> l1s = new ArrayList<>();
        l1s.add(image.l1Table());
        for (SnapshotEntry s : snaps) {
            try {
                l1s.add(image.readL1Table(s.l1TableOffset(), s.l1Size()));
            } catch (IOException e) {
                add(Finding.Severity.ERROR, "snapshot '" + s.name() + "': cannot read its L1 table: " + e.getMessage(),
                        clusterOf(s.l1TableOffset()), -1);
            }
        }
        long total = 0;
        for (long[] l1 : l1s) {
            for (long e : l1) {
                total += L1Entry.l2Offset(e) != 0 ? 1 : 0;
            }
        }
        long done = 0;
        boolean ext = geo.extendedL2();
        boolean dataFile = image.hasDataFile();
        int entries = geo.l2Entries();
        for (long[] l1 : l1s) {
            for (int i = 0; i < l1.length; i++) {
                long l2 = L1Entry.l2Offset(l1[i]);
                if (l2 == 0) {
                    continue;
                }
                if ((l2 & geo.clusterMask()) != 0 || clusterOf(l2) >= clusterCount) {
                    add(Finding.Severity.ERROR, "L1[" + i + "] points at an invalid L2 offset 0x" + Long.toHexString(l2),
                            -1, (long) i * entries);
                    continue;
                }
                mark(clusterOf(l2), HostClusterRole.L2, i);
                long[] t;
                try {
                    t = image.l2Table(l2);
                } catch (IOException e) {
                    add(Finding.Severity.ERROR, "cannot read the L2 table at 0x" + Long.toHexString(l2), clusterOf(l2), -1);
                    continue;
                }
                long guestBase = (long) i * entries;
                for (int j = 0; j < entries; j++) {
                    long w = ext ? t[2 * j] : t[j];
                    if (w == 0) {
                        continue;
                    }
                    long guest = guestBase + j;
                    int owner = guest > Integer.MAX_VALUE ? -1 : (int) guest;
                    ClusterType type = L2Entry.clusterType(w, ext, dataFile);
                    if (type == ClusterType.COMPRESSED) {
                        CompressedDescriptor d = CompressedDescriptor.decode(w, geo.clusterBits());
                        for (long c = clusterOf(d.firstCluster(geo.clusterBits())); c <= clusterOf(d.lastCluster(geo.clusterBits())); c++) {
                            markChecked(c, HostClusterRole.COMPRESSED, owner, guest);
                        }
                    } else if ((type == ClusterType.NORMAL || type == ClusterType.ZERO_ALLOC) && !dataFile) {
                        long off = L2Entry.hostOffset(w);
                        if (off != 0) {
                            markChecked(clusterOf(off), HostClusterRole.DATA, owner, guest);
                        }
                    }
                }
                monitor.progress(++done, total + 1);
                monitor.checkCancelled();
            }
        }
        compareRefcounts(monitor);
        for (byte r : roles) {
            bytesPerRole[r] += geo.clusterSize();
        }
        long tail = clusterCount * cs - image.storage().size();
        bytesPerRole[roles[(int) clusterCount - 1]] -= Math.max(0, tail);
        if (findingsDropped > 0) {
            findings.add(new Finding(Finding.Severity.INFO, findingsDropped + " more findings not listed", -1, -1));
        }
        monitor.progress(total + 1, total + 1);
    }

    private void markBitmaps() {
        try {
            var ext = image.bitmapsExtension();
            if (ext == null) {
                return;
            }
            markRange(ext.directoryOffset(), ext.directorySize(), HostClusterRole.BITMAP, 0, "bitmap directory");
            for (BitmapDirectoryEntry b : image.bitmaps()) {
                markRange(b.tableOffset(), b.tableSize() * 8, HostClusterRole.BITMAP, b.index(), "bitmap table");
                byte[] raw = image.storage().read(b.tableOffset(), (int) (b.tableSize() * 8));
                ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
                for (int i = 0; i < b.tableSize(); i++) {
                    long off = bb.getLong() & 0x00FFFFFFFFFFFE00L;
                    if (off != 0) {
                        markChecked(clusterOf(off), HostClusterRole.BITMAP, b.index(), -1);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            add(Finding.Severity.ERROR, "bitmaps: " + e.getMessage(), -1, -1);
        }
    }

    private void compareRefcounts(ProgressMonitor monitor) throws IOException {
        RefcountReader rc = image.refcounts();
        long perBlock = geo.refblockEntries();
        int order = geo.refcountOrder();
        boolean[] covered = new boolean[(int) ((clusterCount + perBlock - 1) / perBlock)];
        for (int r = 0; r < rc.reftableEntries() && r < covered.length; r++) {
            long b = ReftableEntry.blockOffset(rc.reftableEntry(r));
            if (b == 0 || (b & geo.clusterMask()) != 0 || clusterOf(b) >= clusterCount) {
                continue;
            }
            covered[r] = true;
            byte[] block = rc.block(b);
            long first = r * perBlock;
            long end = Math.min(clusterCount, first + perBlock);
            for (long c = first; c < end; c++) {
                long stored = RefcountBlockCodec.get(block, c - first, order);
                classify(c, stored);
            }
            monitor.checkCancelled();
        }
        for (int r = 0; r < covered.length; r++) {
            if (!covered[r]) {
                long first = r * perBlock;
                long end = Math.min(clusterCount, first + perBlock);
                for (long c = first; c < end; c++) {
                    classify(c, 0);
                }
            }
        }
    }

    private void classify(long c, long stored) {
        int i = (int) c;
        int found = refs[i] & 0xFF;
        if (roles[i] == UNSET) {
            roles[i] = stored == 0 ? HostClusterRole.FREE.code() : HostClusterRole.LEAKED.code();
            if (stored != 0) {
                add(Finding.Severity.LEAK, "Leaked cluster " + c + " refcount=" + stored + " reference=0", c, -1);
            }
            return;
        }
        if (found == 255) {
            return;
        }
        if (stored < found) {
            add(Finding.Severity.ERROR, "ERROR cluster " + c + " refcount=" + stored + " reference=" + found, c,
                    guestClusterOf(c));
        } else if (stored > found) {
            add(Finding.Severity.LEAK, "Leaked cluster " + c + " refcount=" + stored + " reference=" + found, c,
                    guestClusterOf(c));
        }
    }

    private long clusterOf(long offset) {
        return offset >>> geo.clusterBits();
    }

    private void markRange(long offset, long bytes, HostClusterRole role, int owner, String what) {
        if (bytes <= 0) {
            return;
        }
        long first = clusterOf(offset);
        long last = clusterOf(offset + bytes - 1);
        for (long c = first; c <= last; c++) {
            markChecked(c, role, owner, -1);
        }
    }

    private void markChecked(long c, HostClusterRole role, int owner, long guest) {
        if (c < 0 || c >= clusterCount) {
            add(Finding.Severity.ERROR, role.label() + " at host cluster " + c + " lies beyond the end of the file", -1,
                    guest);
            return;
        }
        mark(c, role, owner);
    }

    private void mark(long c, HostClusterRole role, int owner) {
        int i = (int) c;
        byte cur = roles[i];
        if (cur == UNSET) {
            roles[i] = role.code();
            owners[i] = owner;
        } else if (cur != role.code() && cur != HostClusterRole.OVERLAP.code()) {
            add(Finding.Severity.ERROR, "host cluster " + c + " is used as " + HostClusterRole.of(cur).label() + " and as "
                    + role.label(), c, -1);
            roles[i] = HostClusterRole.OVERLAP.code();
        }
        if (refs[i] != (byte) 255) {
            refs[i]++;
        }
    }

    private void add(Finding.Severity s, String message, long host, long guest) {
        if (findings.size() >= MAX_FINDINGS) {
            findingsDropped++;
            return;
        }
        findings.add(new Finding(s, message, host, guest));
    }

    // ---- HostLayoutSource ----

    @Override
    public long clusterCount() {
        return clusterCount;
    }

    @Override
    public long clusterSize() {
        return geo.clusterSize();
    }

    @Override
    public HostClusterRole role(long cluster) {
        return cluster < 0 || cluster >= clusterCount ? HostClusterRole.FREE : HostClusterRole.of(roles[(int) cluster]);
    }

    @Override
    public void fillRoles(long first, byte[] dst, int off, int len) {
        int n = (int) Math.max(0, Math.min(len, clusterCount - first));
        if (n > 0 && first >= 0) {
            System.arraycopy(roles, (int) first, dst, off, n);
        }
        if (n < len) {
            Arrays.fill(dst, off + Math.max(n, 0), off + len, HostClusterRole.FREE.code());
        }
    }

    @Override
    public String describeOwner(long c) {
        if (c < 0 || c >= clusterCount) {
            return "beyond the end of the file";
        }
        int o = owners[(int) c];
        int n = refs[(int) c] & 0xFF;
        String shared = n > 1 ? " (" + n + " references)" : "";
        switch (role(c)) {
            case HEADER:
                return "header and header extensions";
            case L1:
                return "active L1 table (" + image.l1Size() + " entries)";
            case SNAPSHOT_L1:
                return "L1 table of snapshot " + snapshotName(o);
            case L2: {
                long span = geo.bytesPerL1Entry();
                return "L2 table of L1[" + o + "], guest 0x" + Long.toHexString(o * span) + "..0x"
                        + Long.toHexString((o + 1) * span) + shared;
            }
            case REFCOUNT_TABLE:
                return "refcount table";
            case REFCOUNT_BLOCK: {
                long per = geo.refblockEntries();
                return "refcount block of reftable[" + o + "], host clusters " + o * per + ".." + ((o + 1) * per - 1);
            }
            case DATA:
            case COMPRESSED:
                return (role(c) == HostClusterRole.DATA ? "data" : "compressed data") + " of guest cluster " + o
                        + " (guest 0x" + Long.toHexString((long) o << geo.clusterBits()) + ")" + shared;
            case SNAPSHOT_TABLE:
                return "snapshot table (" + image.snapshots().size() + " snapshots)";
            case BITMAP:
                return "persistent bitmap data";
            case FREE:
                return "free: no references, refcount 0";
            case LEAKED:
                return "leaked: no references, refcount " + storedRefcount(c);
            default:
                return "claimed by more than one structure";
        }
    }

    private String snapshotName(int index) {
        for (SnapshotEntry s : image.snapshots()) {
            if (s.index() == index) {
                return "#" + s.id() + " '" + s.name() + "'";
            }
        }
        return "#" + index;
    }

    @Override
    public long guestClusterOf(long c) {
        HostClusterRole r = role(c);
        return (r == HostClusterRole.DATA || r == HostClusterRole.COMPRESSED) ? owners[(int) c] : -1;
    }

    @Override
    public int l1IndexOf(long c) {
        return role(c) == HostClusterRole.L2 ? owners[(int) c] : -1;
    }

    @Override
    public int referencesFound(long c) {
        return c < 0 || c >= clusterCount ? 0 : refs[(int) c] & 0xFF;
    }

    @Override
    public long storedRefcount(long c) {
        try {
            return image.refcounts().refcount(c);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public long bytesOf(HostClusterRole role) {
        return bytesPerRole[role.ordinal()];
    }

    @Override
    public List<Finding> findings() {
        return List.copyOf(findings);
    }
}

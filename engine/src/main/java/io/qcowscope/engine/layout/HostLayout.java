package io.qcowscope.engine.layout;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.ImageChecker;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.image.RefcountReader;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Who owns every host cluster of an image file (spec 4.1, section 10 "ownership map"): one role byte and one packed owner
 * per cluster, the further owners of shared clusters, overlaps, and references past the end of the file. Built by the
 * check's single streaming pass ({@link ImageChecker#checkTolerant}, which goes on where qemu-img gives up, so damaged
 * images still get a complete layout). Memory: 9 bytes per
 * cluster plus 17 bytes per additional owner (bounded), e.g. about 150 MiB for a 1 TiB image of 64 KiB clusters.
 *
 * <p>For drawing: {@link #clusterCount()}, {@link #role(long)} (or {@link #copyRoles}) and {@link #runs()}; for a click:
 * {@link #owners(long)}.
 */
public final class HostLayout {
    private final Geometry geo;
    private final long fileLength;
    private final byte[] roles;
    private final OwnerArray owners;
    private final LayoutBuilder b;
    private final CheckResult check;
    private final LayoutSummary summary;

    private HostLayout(Geometry geo, long fileLength, LayoutBuilder b, CheckResult check) {
        this.geo = geo;
        this.fileLength = fileLength;
        this.roles = b.roles;
        this.owners = b.owners;
        this.b = b;
        this.check = check;
        this.summary = summarise();
    }

    /** Builds the layout of an image opened in check mode; reports progress and honours cancellation. */
    public static HostLayout build(Qcow2Image img, ProgressMonitor monitor) throws IOException {
        Geometry geo = img.geometry();
        long fileLength = img.storage().size();
        long clusters = geo.clustersFor(fileLength);
        if (clusters > Integer.MAX_VALUE - 8) {
            throw new IOException("the image file has too many clusters for a layout: " + clusters);
        }
        LayoutBuilder b = new LayoutBuilder((int) clusters, geo.l2Bits(), img.header().l1Size());
        CheckResult check = ImageChecker.checkTolerant(img, monitor, b);
        b.sortExtras();
        RefcountReader refcounts = img.refcounts();
        for (int c = 0; c < b.roles.length; c++) {
            if ((c & 0xFFFF) == 0) {
                monitor.checkCancelled();
            }
            if (b.roles[c] == LayoutBuilder.UNCLAIMED) {
                b.owners.set(c, Owner.NONE);
                b.roles[c] = onDiskRefcount(refcounts, c) != 0 ? HostClusterRole.LEAKED.code()
                        : HostClusterRole.FREE.code();
            }
        }
        return new HostLayout(geo, fileLength, b, check);
    }

    private static long onDiskRefcount(RefcountReader r, long cluster) {
        try {
            return r.refcount(cluster);
        } catch (IOException e) {
            return 0;
        }
    }

    public long clusterSize() {
        return geo.clusterSize();
    }

    public long fileLength() {
        return fileLength;
    }

    /** Clusters up to the end of the file (one more when a reference overhangs the end by less than a cluster). */
    public long clusterCount() {
        return roles.length;
    }

    /** The role of a cluster: {@link HostClusterRole#OVERLAP} when its claims conflict, else its first claim's role. */
    public HostClusterRole role(long cluster) {
        int c = (int) cluster;
        return b.overlaps(c) ? HostClusterRole.OVERLAP : HostClusterRole.ofCode(roles[c]);
    }

    /** Copies role codes ({@link HostClusterRole#code()}) of clusters {@code [from, from + length)} into {@code dst}. */
    public void copyRoles(long from, byte[] dst, int dstOffset, int length) {
        System.arraycopy(roles, (int) from, dst, dstOffset, length);
        for (int i = 0; i < length; i++) {
            if (b.overlaps((int) from + i)) {
                dst[dstOffset + i] = HostClusterRole.OVERLAP.code();
            }
        }
    }

    /** The first owner of a cluster ({@link Owner}), {@link Owner#NONE} when unclaimed. */
    public long firstOwner(long cluster) {
        return owners.get((int) cluster);
    }

    /** Every entry pointing at {@code cluster}, first claim first (further owners may be truncated on huge images). */
    public List<ClusterOwner> owners(long cluster) {
        int c = (int) cluster;
        List<ClusterOwner> out = new ArrayList<>();
        long first = owners.get(c);
        HostClusterRole firstRole = HostClusterRole.ofCode(roles[c]);
        if (firstRole == HostClusterRole.FREE || firstRole == HostClusterRole.LEAKED) {
            return out;
        }
        int i = lowerBound(cluster);
        out.add(owner(firstRole, first));
        for (; i < b.extraCount && b.extraCluster[i] == cluster; i++) {
            out.add(owner(HostClusterRole.ofCode(b.extraRole[i]), b.extraOwner[i]));
        }
        return out;
    }

    /** How many references count this cluster (for compressed clusters: how many compressed clusters share it). */
    public long claimCount(long cluster) {
        return owners(cluster).size();
    }

    private ClusterOwner owner(HostClusterRole role, long owner) {
        long guest = role == HostClusterRole.DATA || role == HostClusterRole.COMPRESSED
                ? Owner.guestOffset(owner, geo.clusterBits(), geo.l2Bits()) : -1;
        return new ClusterOwner(role, owner, Owner.describe(role, owner), guest);
    }

    private int lowerBound(long cluster) {
        int lo = 0;
        int hi = b.extraCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (b.extraCluster[mid] < cluster) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** True when further owners were dropped because there were too many to keep. */
    public boolean ownersTruncated() {
        return b.extrasTruncated;
    }

    public List<BeyondEndReference> beyondEnd() {
        return Collections.unmodifiableList(b.beyond);
    }

    /** The check run in the same pass, in its tolerant form ({@link ImageChecker#checkTolerant}). */
    public CheckResult check() {
        return check;
    }

    public LayoutSummary summary() {
        return summary;
    }

    /** Runs of equal role in host order; data runs also need consecutive guest clusters of the same table. */
    public List<LayoutRun> runs() {
        List<LayoutRun> out = new ArrayList<>();
        int n = roles.length;
        int start = 0;
        for (int c = 1; c <= n; c++) {
            if (c == n || !continues(c - 1, c)) {
                out.add(new LayoutRun(start, c - start, role(start), owners.get(start)));
                start = c;
            }
        }
        return out;
    }

    private boolean continues(int prev, int c) {
        HostClusterRole r = role(c);
        if (role(prev) != r) {
            return false;
        }
        if (r != HostClusterRole.DATA) {
            return true;
        }
        long a = owners.get(prev);
        long o = owners.get(c);
        return Owner.table(a) == Owner.table(o)
                && guestIndex(a) + 1 == guestIndex(o);
    }

    private long guestIndex(long owner) {
        return (Owner.l1Index(owner) << geo.l2Bits()) + Owner.l2Index(owner);
    }

    private LayoutSummary summarise() {
        long[] counts = new long[HostClusterRole.values().length];
        for (int c = 0; c < roles.length; c++) {
            counts[role(c).ordinal()]++;
        }
        Map<HostClusterRole, Long> bytes = new EnumMap<>(HostClusterRole.class);
        long meta = 0;
        long dataBytes = 0;
        for (HostClusterRole r : HostClusterRole.values()) {
            long v = counts[r.ordinal()] * geo.clusterSize();
            if (v != 0) {
                bytes.put(r, v);
            }
            if (r.isMetadata()) {
                meta += v;
            } else if (r == HostClusterRole.DATA || r == HostClusterRole.COMPRESSED) {
                dataBytes += v;
            }
        }
        double overhead = meta + dataBytes == 0 ? 0 : (double) meta / (meta + dataBytes);
        double frag = check.allocatedClusters() == 0 ? 0
                : (double) check.fragmentedClusters() / check.allocatedClusters();
        return new LayoutSummary(geo.clusterSize(), fileLength, roles.length, bytes, meta, overhead,
                counts[HostClusterRole.LEAKED.ordinal()] * geo.clusterSize(), frag, b.overlapClusters, b.beyondCount);
    }
}

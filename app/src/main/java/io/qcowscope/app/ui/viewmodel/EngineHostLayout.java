package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.ClusterOwner;
import io.qcowscope.engine.layout.HostLayout;
import io.qcowscope.engine.layout.LayoutSummary;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * {@link HostLayoutSource} over the engine's {@link HostLayout}, which is built by the check's single pass, so the layout
 * and the findings come from one walk of the image. Adds nothing per cluster: memory is the engine layout's.
 */
public final class EngineHostLayout implements HostLayoutSource {
    private static final int OWNERS_NAMED = 3;

    private final Qcow2Image image;
    private final HostLayout layout;

    private EngineHostLayout(Qcow2Image image, HostLayout layout) {
        this.image = image;
        this.layout = layout;
    }

    /** Builds layout and check of an image (best opened in check mode); cancellable through the monitor. */
    public static EngineHostLayout build(Qcow2Image image, ProgressMonitor monitor) throws IOException {
        return new EngineHostLayout(image, HostLayout.build(image, monitor));
    }

    private boolean inside(long c) {
        return c >= 0 && c < layout.clusterCount();
    }

    @Override
    public long clusterCount() {
        return layout.clusterCount();
    }

    @Override
    public long clusterSize() {
        return layout.clusterSize();
    }

    @Override
    public HostClusterRole role(long c) {
        return inside(c) ? layout.role(c) : HostClusterRole.FREE;
    }

    @Override
    public void fillRoles(long first, byte[] dst, int off, int len) {
        long from = Math.max(0, first);
        long to = Math.min(first + len, layout.clusterCount());
        Arrays.fill(dst, off, off + len, HostClusterRole.FREE.code());
        if (from < to) {
            layout.copyRoles(from, dst, off + (int) (from - first), (int) (to - from));
        }
    }

    @Override
    public String describeOwner(long c) {
        if (!inside(c)) {
            return "beyond the end of the file";
        }
        HostClusterRole r = layout.role(c);
        if (r == HostClusterRole.FREE) {
            return "no references, refcount 0";
        }
        if (r == HostClusterRole.LEAKED) {
            return "no references, refcount " + storedRefcount(c) + " (spec 5.3: a leak)";
        }
        List<ClusterOwner> owners = layout.owners(c);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < owners.size() && i < OWNERS_NAMED; i++) {
            ClusterOwner o = owners.get(i);
            s.append(i == 0 ? "" : "; ").append(o.owner() == Owner.NONE ? pointer(o.role()) : o.path());
            if (o.guestOffset() >= 0) {
                s.append(" (guest ").append(Sizes.hex(o.guestOffset())).append(')');
            }
        }
        if (owners.size() > OWNERS_NAMED) {
            s.append("; ").append(owners.size() - OWNERS_NAMED).append(" more");
        }
        return s.toString();
    }

    /** What points at a structure that has no owning entry: the header field or extension (spec 2, 2.2). */
    private static String pointer(HostClusterRole r) {
        return switch (r) {
            case HEADER -> "cluster 0: header, extensions, backing file name";
            case ACTIVE_L1 -> "header l1_table_offset";
            case REFCOUNT_TABLE -> "header refcount_table_offset";
            case SNAPSHOT_TABLE -> "header snapshots_offset";
            case BITMAP_DIRECTORY -> "bitmaps extension";
            case ENCRYPTION_HEADER -> "full disk encryption header extension";
            default -> RoleLabels.of(r);
        };
    }

    @Override
    public long guestClusterOf(long c) {
        HostClusterRole r = role(c);
        if (r != HostClusterRole.DATA && r != HostClusterRole.COMPRESSED) {
            return -1;
        }
        long guest = -1;
        for (ClusterOwner o : layout.owners(c)) {
            if (o.guestOffset() >= 0 && (guest < 0 || Owner.table(o.owner()) == 0)) {
                guest = o.guestOffset() / clusterSize();
                if (Owner.table(o.owner()) == 0) {
                    break;
                }
            }
        }
        return guest;
    }

    @Override
    public int l1IndexOf(long c) {
        if (role(c) != HostClusterRole.L2_TABLE) {
            return -1;
        }
        for (ClusterOwner o : layout.owners(c)) {
            if (o.role() == HostClusterRole.L2_TABLE && Owner.table(o.owner()) == 0) {
                return (int) Owner.l1Index(o.owner());
            }
        }
        return -1;
    }

    @Override
    public long referencesFound(long c) {
        return inside(c) ? layout.claimCount(c) : 0;
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
    public LayoutSummary summary() {
        return layout.summary();
    }

    @Override
    public CheckResult check() {
        return layout.check();
    }
}

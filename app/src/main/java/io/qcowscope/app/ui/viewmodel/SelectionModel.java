package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.GuestClusterEntry;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The selection every view shares: a guest cluster with its L1 and L2 entries, a host cluster with its role, owner and
 * refcount. Choosing a guest cluster selects its entries and host cluster; choosing a host cluster selects its owner.
 * Resolving a guest cluster reads its L2 table, so it runs through the task executor, never on the UI thread.
 */
public final class SelectionModel {
    private final ReadOnlyLongWrapper guestCluster = new ReadOnlyLongWrapper(this, "guestCluster", -1);
    private final ReadOnlyLongWrapper hostCluster = new ReadOnlyLongWrapper(this, "hostCluster", -1);
    private final ReadOnlyIntegerWrapper l1Index = new ReadOnlyIntegerWrapper(this, "l1Index", -1);
    private final ReadOnlyIntegerWrapper l2Index = new ReadOnlyIntegerWrapper(this, "l2Index", -1);
    private final ReadOnlyLongWrapper l2TableOffset = new ReadOnlyLongWrapper(this, "l2TableOffset", 0);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private ImageSession session;
    /** Synchronous until the main view-model sets the window's executor (a map rendered without a window). */
    private TaskExecutor executor = new SyncTaskExecutor();
    /** Number of the latest selection request; older lookups that finish later are dropped. */
    private long requests;

    /** Where guest lookups run (set once by the main view-model, before any session). */
    void setExecutor(TaskExecutor executor) {
        this.executor = executor;
    }

    void setSession(ImageSession s) {
        session = s;
        clear();
    }

    public void clear() {
        requests++;
        guestCluster.set(-1);
        hostCluster.set(-1);
        l1Index.set(-1);
        l2Index.set(-1);
        l2TableOffset.set(0);
        summary.set("");
    }

    /** Selects guest cluster {@code g}: its active L1 and L2 entries and the host cluster holding its data. */
    public void selectGuest(long g) {
        selectGuest(g, -1);
    }

    /**
     * Resolves guest cluster {@code g} off the UI thread (the engine reads its L2 table), then selects what it maps to; a
     * newer selection made meanwhile wins. {@code host >= 0} keeps that host cluster selected (a click in the host map).
     */
    private void selectGuest(long g, long host) {
        if (session == null) {
            return;
        }
        ImageSession s = session;
        Qcow2Image img = s.image();
        if (g < 0 || g >= img.geometry().clustersFor(img.virtualSize())) {
            return;
        }
        long request = ++requests;
        executor.executeInteractive("select guest cluster", m -> img.resolver().clusterEntry(g),
                new TaskListener<GuestClusterEntry>() {
                    @Override
                    public void succeeded(GuestClusterEntry e) {
                        if (request == requests && session == s) {
                            show(e, host, null);
                        }
                    }

                    @Override
                    public void failed(Throwable ex) {
                        if (request == requests && session == s) {
                            Geometry geo = img.geometry();
                            int l1 = (int) (g / geo.l2Entries());
                            int l2 = (int) (g % geo.l2Entries());
                            show(new GuestClusterEntry(g, l1, l2, L1Entry.l2Offset(img.l1Entry(l1)), null, null, null),
                                    host, "cannot read L2: " + ex.getMessage());
                        }
                    }
                });
    }

    private void show(GuestClusterEntry e, long hostOverride, String error) {
        Geometry geo = session.image().geometry();
        long host = hostOverride >= 0 ? hostOverride : e.hostCluster() == null ? -1 : e.hostCluster().value();
        String what = error != null ? error : e.type() == null ? "unallocated L2 table"
                : e.type().name().toLowerCase().replace('_', ' ');
        l2TableOffset.set(e.l2Offset());
        l1Index.set(e.l1Index());
        l2Index.set(e.hasL2Table() ? e.l2Index() : -1);
        hostCluster.set(host);
        guestCluster.set(e.guestCluster());
        String text = "guest cluster " + e.guestCluster() + " (" + Sizes.hex(e.guestCluster() << geo.clusterBits())
                + "): L1[" + e.l1Index() + "]" + (e.hasL2Table() ? " L2[" + e.l2Index() + "] " + what : "");
        summary.set(text + (host >= 0 ? hostText(host) : ""));
    }

    /** Selects host cluster {@code h}, and through the host layout its owner. */
    public void selectHost(long h) {
        if (session == null) {
            return;
        }
        HostLayoutSource layout = session.layout();
        long g = layout == null ? -1 : layout.guestClusterOf(h);
        if (g >= 0) {
            selectGuest(g, h);
            return;
        }
        requests++; // a pending guest lookup must not overwrite this
        int l1 = layout == null ? -1 : layout.l1IndexOf(h);
        guestCluster.set(-1);
        l2Index.set(-1);
        if (l1 >= 0) {
            l1Index.set(l1);
            l2TableOffset.set(h << session.image().geometry().clusterBits());
        }
        hostCluster.set(h);
        summary.set(hostText(h).trim());
    }

    private String hostText(long h) {
        HostLayoutSource layout = session.layout();
        if (layout == null) {
            return "  host cluster " + h;
        }
        return "  host cluster " + h + ": " + RoleLabels.of(layout.role(h)) + " (" + layout.describeOwner(h) + "), refcount "
                + layout.storedRefcount(h) + " / found " + layout.referencesFound(h);
    }

    public ReadOnlyLongProperty guestClusterProperty() {
        return guestCluster.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty hostClusterProperty() {
        return hostCluster.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty l1IndexProperty() {
        return l1Index.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty l2IndexProperty() {
        return l2Index.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty l2TableOffsetProperty() {
        return l2TableOffset.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}

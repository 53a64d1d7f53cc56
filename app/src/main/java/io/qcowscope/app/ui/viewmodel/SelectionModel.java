package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.image.Qcow2Image;
import java.io.IOException;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The selection every view shares: a guest cluster with its L1 and L2 entries, a host cluster with its role, owner and
 * refcount. Choosing a guest cluster selects its entries and host cluster; choosing a host cluster selects its owner.
 */
public final class SelectionModel {
    private final ReadOnlyLongWrapper guestCluster = new ReadOnlyLongWrapper(this, "guestCluster", -1);
    private final ReadOnlyLongWrapper hostCluster = new ReadOnlyLongWrapper(this, "hostCluster", -1);
    private final ReadOnlyIntegerWrapper l1Index = new ReadOnlyIntegerWrapper(this, "l1Index", -1);
    private final ReadOnlyIntegerWrapper l2Index = new ReadOnlyIntegerWrapper(this, "l2Index", -1);
    private final ReadOnlyLongWrapper l2TableOffset = new ReadOnlyLongWrapper(this, "l2TableOffset", 0);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private ImageSession session;

    void setSession(ImageSession s) {
        session = s;
        clear();
    }

    public void clear() {
        guestCluster.set(-1);
        hostCluster.set(-1);
        l1Index.set(-1);
        l2Index.set(-1);
        l2TableOffset.set(0);
        summary.set("");
    }

    /** Selects guest cluster {@code g}: its active L1 and L2 entries and the host cluster holding its data. */
    public void selectGuest(long g) {
        if (session == null) {
            return;
        }
        Qcow2Image img = session.image();
        Geometry geo = img.geometry();
        long count = geo.clustersFor(img.virtualSize());
        if (g < 0 || g >= count) {
            return;
        }
        int l1 = (int) (g / geo.l2Entries());
        int l2 = (int) (g % geo.l2Entries());
        long l2Off = L1Entry.l2Offset(img.l1Entry(l1));
        long host = -1;
        String what = "unallocated L2 table";
        if (l2Off != 0) {
            try {
                L2Entry e = img.l2Entry(l2Off, l2);
                what = e.clusterType(img.hasDataFile()).name().toLowerCase().replace('_', ' ');
                if (e.compressed()) {
                    host = CompressedDescriptor.decode(e.word0(), geo.clusterBits()).hostOffset() >>> geo.clusterBits();
                } else if (e.hostOffset() != 0 && !img.hasDataFile()) {
                    host = e.hostOffset() >>> geo.clusterBits();
                }
            } catch (IOException ex) {
                what = "cannot read L2: " + ex.getMessage();
            }
        }
        l2TableOffset.set(l2Off);
        l1Index.set(l1);
        l2Index.set(l2Off == 0 ? -1 : l2);
        hostCluster.set(host);
        guestCluster.set(g);
        summary.set("guest cluster " + g + " (" + Sizes.hex(g << geo.clusterBits()) + "): L1[" + l1 + "]"
                + (l2Off == 0 ? "" : " L2[" + l2 + "] " + what) + (host >= 0 ? hostText(host) : ""));
    }

    /** Selects host cluster {@code h}, and through the host layout its owner. */
    public void selectHost(long h) {
        if (session == null) {
            return;
        }
        HostLayoutSource layout = session.layout();
        long g = layout == null ? -1 : layout.guestClusterOf(h);
        if (g >= 0) {
            selectGuest(g);
            hostCluster.set(h);
            summary.set(summary.get().contains("host") ? summary.get() : summary.get() + hostText(h));
            return;
        }
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

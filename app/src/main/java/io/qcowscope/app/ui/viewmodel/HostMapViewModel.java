package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.host.HostClusterRole;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/** The host layout map: one cell per host cluster coloured by role; clicking selects the owner (shared selection). */
public final class HostMapViewModel implements MapModel {
    private final SelectionModel selection;
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private HostLayoutSource source;

    public HostMapViewModel(SelectionModel selection) {
        this.selection = selection;
    }

    public void setSource(HostLayoutSource s) {
        this.source = s;
        revision.set(revision.get() + 1);
    }

    public HostLayoutSource source() {
        return source;
    }

    @Override
    public long itemCount() {
        return source == null ? 0 : source.clusterCount();
    }

    @Override
    public int codeCount() {
        return HostClusterRole.values().length;
    }

    @Override
    public String codeLabel(int code) {
        return RoleLabels.of(HostClusterRole.values()[code]);
    }

    @Override
    public void fillCodes(long first, byte[] dst, int off, int len) {
        if (source == null) {
            java.util.Arrays.fill(dst, off, off + len, HostClusterRole.FREE.code());
        } else {
            source.fillRoles(first, dst, off, len);
        }
    }

    @Override
    public int subcellsPerItem() {
        return 1;
    }

    @Override
    public boolean fillSubcells(long item, byte[] dst) {
        dst[0] = source == null ? 0 : source.role(item).code();
        return true;
    }

    /** How many host clusters have the role with this code; -1 before the layout scan. */
    public long clustersOf(int code) {
        return source == null ? -1 : source.bytesOf(HostClusterRole.values()[code]) / source.clusterSize();
    }

    /** The role of a host cluster. */
    public HostClusterRole roleOf(long cluster) {
        return source == null ? HostClusterRole.FREE : source.role(cluster);
    }

    @Override
    public String describe(long c) {
        if (source == null || c < 0 || c >= source.clusterCount()) {
            return "";
        }
        long cs = source.clusterSize();
        return "host cluster " + c + " at " + Sizes.hex(c * cs) + "..." + Sizes.hex((c + 1) * cs - 1) + "\n"
                + RoleLabels.of(source.role(c)) + ": " + source.describeOwner(c) + "\nrefcount " + source.storedRefcount(c)
                + ", references found " + source.referencesFound(c);
    }

    @Override
    public void select(long item) {
        selection.selectHost(item);
    }

    @Override
    public ReadOnlyLongProperty selectedItem() {
        return selection.hostClusterProperty();
    }

    private final ChangedItems changed = new ChangedItems();

    /** Marks the items the last Apply changed; an empty array clears the marks. */
    public void setChangedItems(long[] items) {
        changed.set(items);
        revision.set(revision.get() + 1);
    }

    @Override
    public long[] changedItems() {
        return changed.get();
    }

    @Override
    public ReadOnlyLongProperty revision() {
        return revision.getReadOnlyProperty();
    }
}

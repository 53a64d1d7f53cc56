package io.qcowscope.app.ui.viewmodel;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The selected structure as a path, the way the check names structures: {@code L1[0] > L2@0x40000[17] > host cluster 9}.
 * Each crumb selects its structure again; the view shows them in a bread crumb bar.
 */
public final class SelectionPath {
    /** Where a crumb's structure is best seen. */
    public enum Place { TABLES, HOST_MAP, GUEST_MAP, REFCOUNTS }

    /** One step of the path. */
    public record Crumb(String label, Place place, Runnable select) {
        @Override
        public String toString() {
            return label;
        }
    }

    private final SelectionModel selection;
    private final ObservableList<Crumb> crumbs = FXCollections.observableArrayList();
    /** One wrapper, kept: a listener on a fresh unmodifiable wrapper dies with the wrapper (weak listener). */
    private final ObservableList<Crumb> crumbsRo = FXCollections.unmodifiableObservableList(crumbs);

    SelectionPath(SelectionModel selection, TablesViewModel tables) {
        this.selection = selection;
        Runnable rebuild = () -> rebuild(tables);
        selection.guestClusterProperty().addListener((o, a, b) -> rebuild.run());
        selection.hostClusterProperty().addListener((o, a, b) -> rebuild.run());
        selection.l1IndexProperty().addListener((o, a, b) -> rebuild.run());
        selection.l2IndexProperty().addListener((o, a, b) -> rebuild.run());
    }

    private void rebuild(TablesViewModel tables) {
        List<Crumb> c = new ArrayList<>();
        int l1 = selection.l1IndexProperty().get();
        int l2 = selection.l2IndexProperty().get();
        long guest = selection.guestClusterProperty().get();
        long host = selection.hostClusterProperty().get();
        if (l1 >= 0) {
            c.add(new Crumb("L1[" + l1 + "]", Place.TABLES, () -> tables.selectL1(l1)));
        }
        if (l2 >= 0 && guest >= 0) {
            long table = selection.l2TableOffsetProperty().get();
            c.add(new Crumb("L2@" + Sizes.hex(table) + "[" + l2 + "]", Place.TABLES, () -> selection.selectGuest(guest)));
        }
        if (guest >= 0) {
            c.add(new Crumb("guest cluster " + guest, Place.GUEST_MAP, () -> selection.selectGuest(guest)));
        }
        if (host >= 0) {
            c.add(new Crumb("host cluster " + host, Place.HOST_MAP, () -> selection.selectHost(host)));
        }
        crumbs.setAll(c);
    }

    /** The crumbs, outermost first; empty when nothing is selected. */
    public ObservableList<Crumb> crumbs() {
        return crumbsRo;
    }
}

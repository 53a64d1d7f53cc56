package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.app.ui.viewmodel.SelectionModel;
import io.qcowscope.app.ui.viewmodel.SelectionPath.Crumb;
import io.qcowscope.app.ui.viewmodel.SelectionPath.Place;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.engine.repair.Fix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A fix's structure path as crumbs, the way the check names structures: {@code L1[0] > L2@0x40000[17] > subcluster 5 >
 * host cluster 9}, or {@code reftable[0] > refblock@0x20000 > host cluster 7}. Each crumb selects its structure in the
 * other views.
 */
final class FixCrumbs {
    private FixCrumbs() {
    }

    static List<Crumb> of(Fix f, FixFacts x, SelectionModel s, int l2Entries) {
        List<Crumb> c = new ArrayList<>();
        long guest = x.guestCluster();
        if (x.l1Index() >= 0) {
            long first = guest >= 0 ? guest : (long) x.l1Index() * l2Entries;
            c.add(new Crumb("L1[" + x.l1Index() + "]", Place.TABLES, () -> s.selectGuest(first)));
        }
        if (x.l2Table() >= 0) {
            c.add(new Crumb("L2@" + Sizes.hex(x.l2Table()) + "[" + x.l2Index() + "]", Place.TABLES,
                    () -> s.selectGuest(guest)));
        }
        if (x.subclusters().length > 0) {
            String list = Arrays.stream(x.subclusters()).mapToObj(String::valueOf).collect(Collectors.joining(", "));
            c.add(new Crumb((x.subclusters().length == 1 ? "subcluster " : "subclusters ") + list, Place.GUEST_MAP,
                    () -> s.selectGuest(guest)));
        }
        long host = x.hostCluster();
        if (x.reftable() >= 0) {
            c.add(new Crumb("reftable[" + x.reftable() + "]", Place.REFCOUNTS, () -> s.selectHost(host)));
            c.add(new Crumb("refblock@" + Sizes.hex(x.refblock()), Place.REFCOUNTS, () -> s.selectHost(host)));
        }
        if (host >= 0) {
            c.add(new Crumb("host cluster " + host, x.reftable() >= 0 || f.id() < 0 ? Place.REFCOUNTS : Place.HOST_MAP,
                    () -> s.selectHost(host)));
        }
        if (c.isEmpty()) {
            long at = f.byteOffset() < 0 || x.plannedRefcounts().hostClusters().length == 0 ? -1
                    : x.plannedRefcounts().hostClusters()[0];
            c.add(new Crumb(f.path(), Place.HOST_MAP, () -> {
                if (at >= 0) {
                    s.selectHost(at);
                }
            }));
        }
        return c;
    }
}

package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.layout.GuestClusterState;
import io.qcowscope.engine.layout.GuestLayout;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The L2 tables behind the tables view and the guest map's subcluster cells are read through the executor, never on the
 * UI thread: placeholders until a lookup lands, a choice made meanwhile waits for it, and a stale lookup is dropped.
 */
class AsyncLookupsTest {
    @TempDir
    static Path dir;
    static Path image;
    HeldLookupExecutor ex;
    MainViewModel vm;

    @BeforeAll
    static void make() {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
    }

    @BeforeEach
    void open() {
        ex = new HeldLookupExecutor();
        vm = new MainViewModel(ex, RecentFiles.inMemory());
        vm.open(image);
    }

    @Test
    void l2TableLoadsThroughTheExecutorAndAnEntryChosenMeanwhileWaitsForIt() {
        TablesViewModel t = vm.tables();
        assertEquals(0, t.selectedL1Property().get(), "the first allocated L1 entry is chosen on open");
        assertTrue(t.l2LoadingProperty().get());
        assertTrue(t.l2Rows().isEmpty(), "no rows before the table is read");
        assertTrue(t.l2TitleProperty().get().startsWith("reading the L2 table of L1[0]"), t.l2TitleProperty().get());
        t.selectL2(2);
        assertEquals(-1, t.selectedL2Property().get(), "the entry waits for its table");
        ex.landAll();
        assertFalse(t.l2LoadingProperty().get());
        assertEquals(64, t.l2Rows().size());
        assertEquals(ClusterType.COMPRESSED, t.l2Rows().get((int) TestImages.COMPRESSED).type());
        assertEquals(2, t.selectedL2Property().get());
        assertTrue(t.decodedProperty().get().title().startsWith("L2[2] of L1[0]"), t.decodedProperty().get().title());
        assertEquals(2, vm.selection().guestClusterProperty().get(), "the chosen entry selects its guest cluster");
    }

    @Test
    void anOlderL2TableLandingLateNeverOverwritesTheNewerOne() {
        TablesViewModel t = vm.tables();
        t.selectSource(1); // the snapshot's L1, then its first L2 table: requested after the active L2 table
        assertEquals(2, ex.held());
        assertEquals(1, t.l1SourceProperty().get());
        assertTrue(t.l1Rows().isEmpty(), "no L1 rows before the snapshot's table is read");
        assertTrue(t.l2TitleProperty().get().startsWith("reading the L1 table of snapshot"), t.l2TitleProperty().get());
        ex.land(1);
        assertEquals(1, t.l1Rows().size());
        assertTrue(t.l2Rows().isEmpty());
        assertEquals(2, ex.held());
        ex.land(1);
        long snapshotL2 = t.l1Rows().get(0).l2Offset();
        assertEquals(GuestClusterState.UNALLOCATED, state(t, 32), "cluster 32 was written after the snapshot");
        ex.land(0); // the active table, requested first, lands last
        assertEquals(GuestClusterState.UNALLOCATED, state(t, 32), "the stale active table was dropped");
        assertTrue(t.l2TitleProperty().get().contains(Sizes.hex(snapshotL2)), t.l2TitleProperty().get());
        t.selectSource(0);
        ex.landAll();
        assertNotEquals(GuestClusterState.UNALLOCATED, state(t, 32), "the active table once it is asked for again");
    }

    private static GuestClusterState state(TablesViewModel t, int i) {
        TablesViewModel.L2Row r = t.l2Rows().get(i);
        return GuestLayout.state(r.word0(), r.bitmap(), true, false);
    }

    @Test
    void subclusterCellsWaitForTheirL2TableAndRepaintWhenItLands() {
        GuestMapViewModel g = vm.guestMap();
        ex.landAll(); // the tables view's lookup
        byte[] sub = new byte[32];
        long before = g.revision().get();
        assertFalse(g.fillSubcells(TestImages.PARTLY_WRITTEN, sub), "unknown until the table is read");
        assertEquals(null, g.subclusters(TestImages.PARTLY_WRITTEN));
        assertEquals(1, ex.held(), "one load per table, however many cells ask");
        ex.landAll();
        assertTrue(g.revision().get() > before, "the map repaints when the table lands");
        assertTrue(g.fillSubcells(TestImages.PARTLY_WRITTEN, sub));
        assertEquals(SubclusterType.NORMAL.ordinal(), sub[3]);
        assertEquals(GuestMapViewModel.SUB_BACKING, sub[4], "read from the backing file");
        assertEquals(SubclusterType.ZERO_PLAIN, g.subclusters(TestImages.ZEROED)[7]);
        assertEquals(0, ex.held(), "a loaded table is not read again");
    }

    @Test
    void subclustersOfAnEarlierSessionAreDropped() {
        GuestMapViewModel g = vm.guestMap();
        ex.landAll();
        assertFalse(g.fillSubcells(TestImages.PARTLY_WRITTEN, new byte[32]));
        vm.open(image); // a new session while the load is held
        long revision = g.revision().get();
        ex.land(0);
        assertEquals(revision, g.revision().get(), "the earlier session's table is dropped: no repaint");
        assertFalse(g.fillSubcells(TestImages.PARTLY_WRITTEN, new byte[32]), "the old session's table was not kept");
        ex.landAll();
        assertTrue(g.fillSubcells(TestImages.PARTLY_WRITTEN, new byte[32]));
    }

    @Test
    void aPictureReadsSubclustersOnItsOwnThreadWithoutTheWindowsLookups() {
        GuestMapViewModel g = vm.guestMap();
        ex.landAll();
        byte[] sub = new byte[32];
        MapModel picture = g.forPicture();
        assertTrue(picture.fillSubcells(TestImages.PARTLY_WRITTEN, sub), "an export paints off the UI thread");
        assertEquals(SubclusterType.NORMAL.ordinal(), sub[3]);
        assertEquals(GuestMapViewModel.SUB_BACKING, sub[4]);
        assertTrue(picture.fillSubcells(TestImages.ZEROED, sub));
        assertEquals(SubclusterType.ZERO_PLAIN.ordinal(), sub[7]);
        assertEquals(0, ex.held(), "no lookup went through the window's lane");
        assertFalse(g.fillSubcells(TestImages.PARTLY_WRITTEN, sub), "the window's cache was left alone");
    }
}

package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.check.FindingKind;
import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.GuestClusterState;
import io.qcowscope.engine.layout.GuestLayout;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view-models over one qemu-made image, on the synchronous executor. */
class ViewModelsTest {
    @TempDir
    static Path dir;
    static Path image;
    MainViewModel vm;
    Qcow2Image img;

    @BeforeAll
    static void make() {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
    }

    @BeforeEach
    void open() {
        vm = TestImages.open(image);
        img = vm.sessionProperty().get().image();
    }

    private long l2Offset() {
        return L1Entry.l2Offset(img.l1Entry(0));
    }

    @Test
    void overviewListsHeaderFeaturesExtensionsChainAndFigures() {
        OverviewViewModel o = vm.overview();
        assertEquals("magic", o.headerFields().get(0).name());
        assertTrue(o.features().stream().anyMatch(f -> f.detail().equals("extended L2 entries") && f.value().equals("set")));
        assertTrue(o.extensions().stream().anyMatch(e -> e.value().equals("backing file format")));
        assertTrue(o.chain().get(1).value().endsWith("base.qcow2"));
        assertTrue(o.figures().stream().anyMatch(f -> f.name().equals("L2 cache for full coverage")
                && f.value().equals("1 KiB")), o.figures().toString());
        assertTrue(o.figures().stream().anyMatch(f -> f.name().equals("compressed clusters") && f.value().equals("1")));
        assertTrue(o.figures().stream().anyMatch(f -> f.name().equals("fragmented clusters") && f.value().equals("2")),
                "as qemu-img check: 66.67% fragmented");
        assertTrue(o.figures().stream().anyMatch(f -> f.name().equals("leaked") && f.value().equals("0 B")));
    }

    @Test
    void tablesL2RowOfPartlyWrittenClusterHasFourAllocatedSubclusters() {
        TablesViewModel t = vm.tables();
        assertEquals(0, t.selectedL1Property().get(), "the first allocated L1 entry is selected on open");
        TablesViewModel.L2Row r = t.l2Rows().get((int) TestImages.PARTLY_WRITTEN);
        assertEquals(ClusterType.NORMAL, r.type());
        assertEquals(0xFL, r.bitmap());
        TablesViewModel.L2Row z = t.l2Rows().get((int) TestImages.ZEROED);
        assertEquals(0xFFL << 32, z.bitmap());
        assertEquals(ClusterType.COMPRESSED, t.l2Rows().get((int) TestImages.COMPRESSED).type());
    }

    @Test
    void tablesSelectL2DecodesEntryAndHighlightsItsBytes() {
        TablesViewModel t = vm.tables();
        t.selectL2(2);
        TablesViewModel.Decoded d = t.decodedProperty().get();
        assertTrue(d.extended());
        assertEquals("COPIED", d.fields().get(0).name());
        assertEquals(64, d.bitmapFields().size());
        assertEquals(l2Offset() + 32, vm.hex().highlightStartProperty().get());
        assertEquals(16, vm.hex().highlightLengthProperty().get());
        assertEquals(l2Offset(), vm.hex().clusterOffsetProperty().get());
        assertEquals(2, vm.selection().guestClusterProperty().get(), "choosing an L2 entry selects its guest cluster");
    }

    @Test
    void tablesSnapshotSourceShowsTheSnapshotL1() {
        TablesViewModel t = vm.tables();
        assertEquals(2, t.l1Sources().size());
        t.selectSource(1);
        assertEquals(1, t.l1SourceProperty().get());
        long snapL2 = t.l1Rows().get(0).l2Offset();
        assertNotEquals(l2Offset(), snapL2, "the active L2 was copied on write after the snapshot");
        assertEquals(GuestClusterState.UNALLOCATED, GuestLayout.state(t.l2Rows().get(32).word0(),
                t.l2Rows().get(32).bitmap(), true, false), "cluster 32 was written after the snapshot");
    }

    @Test
    void selectionGuestClusterSelectsEntriesAndHostCluster() {
        SelectionModel s = vm.selection();
        s.selectGuest(TestImages.PARTLY_WRITTEN);
        assertEquals(0, s.l1IndexProperty().get());
        assertEquals(0, s.l2IndexProperty().get());
        long host = s.hostClusterProperty().get();
        assertEquals(HostClusterRole.DATA, vm.hostMap().roleOf(host));
        assertEquals(0, vm.tables().selectedL2Property().get());
        assertTrue(s.summaryProperty().get().contains("guest data"), s.summaryProperty().get());
    }

    @Test
    void selectionHostClusterSelectsItsOwner() {
        SelectionModel s = vm.selection();
        long l2Cluster = l2Offset() >>> 16;
        s.selectHost(l2Cluster);
        assertEquals(0, s.l1IndexProperty().get());
        assertEquals(-1, s.guestClusterProperty().get());
        s.selectGuest(TestImages.AFTER_SNAPSHOT);
        long data = s.hostClusterProperty().get();
        s.clear();
        s.selectHost(data);
        assertEquals(TestImages.AFTER_SNAPSHOT, s.guestClusterProperty().get());
        assertEquals(data, s.hostClusterProperty().get());
    }

    @Test
    void guestMapCodesStatesAndLayers() {
        GuestMapViewModel g = vm.guestMap();
        assertEquals(64, g.itemCount());
        assertEquals(32, g.subcellsPerItem());
        byte[] codes = new byte[64];
        g.fillCodes(0, codes, 0, 64);
        assertEquals(GuestClusterState.PARTIAL.ordinal(), codes[(int) TestImages.PARTLY_WRITTEN]);
        assertEquals(GuestClusterState.BACKING.ordinal(), codes[(int) TestImages.FROM_BACKING]);
        assertEquals(GuestClusterState.COMPRESSED.ordinal(), codes[(int) TestImages.COMPRESSED]);
        assertEquals(GuestClusterState.DATA.ordinal(), codes[(int) TestImages.AFTER_SNAPSHOT]);
        assertEquals(GuestClusterState.UNALLOCATED.ordinal(), codes[60]);
        g.colourByLayerProperty().set(true);
        g.fillCodes(0, codes, 0, 64);
        assertEquals(2, codes[(int) TestImages.FROM_BACKING], "backing layer 1");
        assertEquals(1, codes[(int) TestImages.AFTER_SNAPSHOT], "this image");
        assertEquals(0, codes[60], "no layer");
        SubclusterType[] sc = g.subclusters(TestImages.PARTLY_WRITTEN);
        assertEquals(SubclusterType.NORMAL, sc[3]);
        assertEquals(SubclusterType.UNALLOCATED_ALLOC, sc[4]);
        byte[] sub = new byte[32];
        g.fillSubcells(TestImages.PARTLY_WRITTEN, sub);
        assertEquals(1, sub[3], "coloured by layer: this image answers subcluster 3");
        assertEquals(2, sub[4], "coloured by layer: backing layer 1 answers subcluster 4");
        g.colourByLayerProperty().set(false);
        g.fillSubcells(TestImages.PARTLY_WRITTEN, sub);
        assertEquals(GuestMapViewModel.SUB_BACKING, sub[4], "read from the backing file");
        assertEquals(SubclusterType.NORMAL.ordinal(), sub[3]);
        assertTrue(g.describe(0).contains("L1[0] L2[0]"));
    }

    @Test
    void selectionOfSnapshotL1ClusterShowsThatL1InTheTables() {
        long snapL1 = img.snapshots().get(0).l1TableOffset() >>> 16;
        vm.hostMap().select(snapL1);
        assertEquals(1, vm.tables().l1SourceProperty().get());
    }

    @Test
    void hostMapDescribesRoleAndOwner() {
        HostMapViewModel h = vm.hostMap();
        long l2Cluster = l2Offset() >>> 16;
        assertEquals(HostClusterRole.L2_TABLE, h.roleOf(l2Cluster));
        assertTrue(h.describe(l2Cluster).contains("L2 table: L1[0] -> L2 table"), h.describe(l2Cluster));
        h.select(l2Cluster);
        assertEquals(l2Cluster, h.selectedItem().get());
        byte[] b = new byte[1];
        h.fillCodes(0, b, 0, 1);
        assertEquals(HostClusterRole.HEADER.code(), b[0]);
    }

    @Test
    void refcountsShowStoredBesideFound() {
        RefcountsViewModel r = vm.refcounts();
        assertEquals(0, r.selectedReftableProperty().get());
        RefcountsViewModel.RefcountRow header = r.block().get(0);
        assertEquals(1, header.stored());
        assertEquals(1, header.found());
        assertFalse(r.block().stream().anyMatch(RefcountsViewModel.RefcountRow::mismatch));
        assertTrue(r.block().stream().anyMatch(x -> x.stored() == 2 && x.found() == 2));
    }

    @Test
    void snapshotsUseAsL1SourceSwitchesTables() {
        SnapshotsViewModel s = vm.snapshots();
        assertEquals("s1", s.snapshots().get(0).name());
        s.useAsL1Source(0);
        assertEquals(1, vm.tables().l1SourceProperty().get());
    }

    @Test
    void hexShowsClusterRows() {
        HexViewModel h = vm.hex();
        h.showCluster(0);
        assertEquals(4096, h.rows().size());
        assertArrayEquals(new byte[] {'Q', 'F', 'I', (byte) 0xFB}, java.util.Arrays.copyOf(h.rows().get(0).bytes(), 4));
        assertEquals(-1, h.highlightStartProperty().get());
    }

    @Test
    void findingsOpenSelectsTheHostCluster() {
        FindingsViewModel f = vm.findings();
        f.open(Finding.of(FindingKind.LEAKED_CLUSTER, "cluster 0", "test").at(0).cluster(0).expected(0L).found(1L).build());
        assertEquals(0, vm.selection().hostClusterProperty().get());
        assertNotNull(vm.selection().summaryProperty().get());
    }
}

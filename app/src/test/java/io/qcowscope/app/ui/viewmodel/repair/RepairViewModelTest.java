package io.qcowscope.app.ui.viewmodel.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.SelectionPath;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.app.ui.viewmodel.edit.OperationQueue;
import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.DamagedImages;
import io.qcowscope.engine.testkit.Qemu;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repair workspace's choices, recomputed refcounts and previews, on qemu-made damaged images (synchronous executor). */
class RepairViewModelTest {
    @TempDir
    static Path dir;
    static Path damaged;
    static Path shared;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        damaged = DamagedImages.leakRefcountZeroAndOverlap(Files.createDirectories(dir.resolve("d")));
        shared = DamagedImages.sharedCluster(Files.createDirectories(dir.resolve("s")));
    }

    private static RepairViewModel planned(MainViewModel vm) {
        assertTrue(vm.layoutReadyProperty().get(), "the layout scan ran");
        RepairViewModel r = vm.repair();
        r.plan();
        assertTrue(r.plannedProperty().get(), r.statusProperty().get());
        return r;
    }

    private static FixRow row(RepairViewModel r, FixKind k) {
        return r.rows().stream().filter(x -> x.kind() == k && !x.dependent()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + k + " in " + r.rows()));
    }

    private static long entryOffset(Path image, int index, int entrySize) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(40);
            long l1 = f.readLong();
            f.seek(l1);
            return (f.readLong() & 0x00FFFFFFFFFFFE00L) + (long) index * entrySize;
        }
    }

    @Test
    void planOffersBothWaysForTheOverlapWithTheEnginesDefaultChosenAndChoosingTheOtherSwapsThem() throws Exception {
        MainViewModel vm = TestImages.open(damaged);
        RepairViewModel r = planned(vm);
        FixRow data = row(r, FixKind.SUBCLUSTERS_DATA_WINS);
        FixRow zero = row(r, FixKind.SUBCLUSTERS_ZERO_WINS);
        assertTrue(data.hasAlternative() && zero.hasAlternative());
        assertEquals(data.group(), zero.group(), "one radio group");
        assertTrue(data.isChosen(), "the engine's default: data wins");
        assertFalse(zero.isChosen());

        r.choose(zero);
        assertTrue(zero.isChosen());
        assertFalse(data.isChosen(), "choosing zero wins clears data wins");
        Set<FixKind> chosen = r.chosenPlan().selected().stream().map(Fix::kind).collect(Collectors.toSet());
        assertTrue(chosen.contains(FixKind.SUBCLUSTERS_ZERO_WINS), chosen.toString());
        assertFalse(chosen.contains(FixKind.SUBCLUSTERS_DATA_WINS), chosen.toString());
        assertTrue(chosen.contains(FixKind.REBUILD_REFCOUNTS), "the refcount-0 cluster needs the rebuild: " + chosen);

        r.setChosen(zero, false);
        assertFalse(zero.isChosen() || data.isChosen(), "the damage can be left alone");
        assertTrue(r.choiceProperty().get().startsWith((r.rows().size() - 2) + " of " + r.rows().size()),
                r.choiceProperty().get());
    }

    @Test
    void previewOfTheOverlapFixMarksItsEntryTableAndDataClusterAndCrumbsNameItsPath() throws Exception {
        MainViewModel vm = TestImages.open(damaged);
        RepairViewModel r = planned(vm);
        FixRow zero = row(r, FixKind.SUBCLUSTERS_ZERO_WINS);
        r.show(zero);
        FixPreview p = r.preview().current();
        long entry = entryOffset(damaged, DamagedImages.OVERLAP, 16);
        assertTrue(p.marksEntry(entry), p.toString());
        assertEquals(1, p.l2Entries().length, p.toString());
        long table = entry & ~0xFFFFL;
        assertTrue(p.marksHost(table >>> 16), "the L2 table's cluster: " + p);
        assertEquals("0x32800..0x33000 (2 KiB)", zero.guestRange(), "exactly subcluster 5 of guest cluster 3");
        long host = vm.repair().rows().stream().filter(x -> x == zero).findFirst().orElseThrow().facts().hostCluster();
        assertTrue(host > 0 && p.marksHost(host), "the data cluster: " + p);
        assertEquals(List.of("L1[0]", "L2@" + io.qcowscope.app.ui.viewmodel.Sizes.hex(table) + "[3]", "subcluster 5",
                "host cluster " + host), zero.crumbs().stream().map(SelectionPath.Crumb::label).toList());
        zero.crumbs().get(3).select().run();
        assertEquals(host, vm.selection().hostClusterProperty().get(), "a crumb selects its structure");
        assertEquals(1, zero.diffs().size(), "one bitmap word changes");
        assertEquals("00 00 00 20 ff ff ff ff", zero.diffs().get(0).before());
        assertEquals("00 00 00 20 ff ff ff df", zero.diffs().get(0).after());
        // the views read the same preview
        assertTrue(vm.tables().previewProperty().get().marksEntry(entry));
        r.show(null);
        assertTrue(r.preview().current().isEmpty());
    }

    @Test
    void choosingUnshareRecomputesTheRefcountFixesItMakesUnnecessaryAndTheNewClustersRefcount() throws Exception {
        MainViewModel vm = TestImages.open(shared);
        RepairViewModel r = planned(vm);
        FixRow raise = row(r, FixKind.RAISE_REFCOUNT);
        FixRow unshare = row(r, FixKind.UNSHARE_CLUSTER);
        assertTrue(raise.isChosen() && !unshare.isChosen(), "raise is the default");
        assertFalse(raise.noteProperty().get().contains("not needed"), raise.noteProperty().get());
        List<FixRow> copied = r.rows().stream().filter(x -> x.kind() == FixKind.FIX_COPIED).toList();
        assertEquals(2, copied.size());
        assertTrue(copied.stream().noneMatch(x -> x.noteProperty().get().contains("not needed")));
        assertTrue(r.rows().stream().noneMatch(FixRow::dependent), "nothing recomputed yet");
        long size = Files.size(shared);

        r.choose(unshare);
        assertEquals("not needed after the chosen fixes", raise.noteProperty().get(),
                "one entry moves to the copy: the shared cluster keeps one reference");
        assertTrue(copied.stream().allMatch(x -> x.noteProperty().get().equals("not needed after the chosen fixes")),
                "COPIED stays right where the refcount stays 1");
        List<FixRow> dependent = r.rows().stream().filter(FixRow::dependent).toList();
        assertEquals(1, dependent.size(), r.rows().toString());
        FixRow copy = dependent.get(0);
        assertEquals(FixKind.RAISE_REFCOUNT, copy.kind());
        long newCluster = (size + 65535) / 65536;
        assertEquals("refcount of host cluster " + newCluster, copy.fix().path());
        assertEquals(1, copy.preview().refcountAfter(newCluster), "the copy gets refcount 1");
        FixRow leak = row(r, FixKind.FREE_LEAK);
        assertFalse(leak.noteProperty().get().contains("not needed"), "the leak stays a leak");
        r.show(unshare);
        long sharedCluster = unshare.facts().hostCluster();
        assertEquals(1, r.preview().current().refcountAfter(sharedCluster), r.preview().current().toString());
        assertEquals("1", vm.refcounts().previewedRefcount(vm.refcounts().block().stream()
                .filter(x -> x.cluster() == sharedCluster).findFirst().orElseThrow()));

        r.setChosen(unshare, false);
        assertTrue(r.rows().stream().noneMatch(FixRow::dependent), "deselected: no copy, no new refcount");
        r.choose(raise);
        assertTrue(raise.isChosen() && !unshare.isChosen());
        assertFalse(raise.noteProperty().get().contains("not needed"));
    }

    @Test
    void previewOfTheRebuildMarksEveryWrongRefcountWithTheReferencesFound() throws Exception {
        MainViewModel vm = TestImages.open(damaged);
        RepairViewModel r = planned(vm);
        FixRow rebuild = row(r, FixKind.REBUILD_REFCOUNTS);
        r.show(rebuild);
        FixPreview p = r.preview().current();
        long leaked = vm.findings().findings().stream().filter(f -> f.kind()
                == io.qcowscope.engine.check.FindingKind.LEAKED_CLUSTER).findFirst().orElseThrow().hostCluster();
        long zero = vm.findings().findings().stream().filter(f -> f.kind()
                == io.qcowscope.engine.check.FindingKind.REFCOUNT_ZERO).findFirst().orElseThrow().hostCluster();
        assertEquals(0, p.refcountAfter(leaked), "the leak is freed: " + p);
        assertEquals(1, p.refcountAfter(zero), "the referenced cluster gets its one reference: " + p);
        assertTrue(p.marksHost(leaked) && p.marksHost(zero));
    }

    @Test
    void leakFixesAreChosenTogetherBecauseTheApplyWritesThemAsAWhole() throws Exception {
        MainViewModel vm = TestImages.open(shared);
        RepairViewModel r = planned(vm);
        List<FixRow> copied = r.rows().stream().filter(x -> x.kind() == FixKind.FIX_COPIED).toList();
        r.setChosen(copied.get(0), false);
        assertTrue(copied.stream().noneMatch(FixRow::isChosen), "COPIED is fixed for all entries or none");
    }

    @Test
    void queuedRepairAppliedToACopyShowsACleanResultCard() throws Exception {
        MainViewModel vm = TestImages.open(shared);
        RepairViewModel r = planned(vm);
        r.choose(row(r, FixKind.UNSHARE_CLUSTER));
        RepairOperation op = r.queueRepair();
        assertNotNull(op);
        assertEquals(List.of(op), vm.operations().items());
        assertTrue(op.title().matches("Repair: \\d+ fix(es)? of \\d+ \\(before: 1 corruption, 1 leaked cluster, "
                + "0 check errors\\)"), "the queue entry counts in words, singular and plural: " + op.title());
        Path copy = dir.resolve("s/copy.qcow2");
        Files.copy(shared, copy);
        String summary = op.apply(copy, null, ProgressMonitor.NONE);
        assertTrue(summary.endsWith("the re-check finds the image clean"), summary);
        assertEquals(0, Qemu.imgAllowFail(copy.getParent(), "check", "copy.qcow2").exitCode());
        vm.operations().applied(new OperationQueue.ApplyOutcome(copy, false, null, List.of(op), List.of(summary)));
        RepairResult res = r.resultProperty().get();
        assertNotNull(res);
        assertTrue(res.clean(), res.after().findings().toString());
        assertEquals(1, res.before().corruptions());
        assertEquals(List.of(summary), res.summaries());
        assertTrue(vm.operations().isEmpty());
        // the window then reopens the image the copy was made from (after the re-check, which ran first): the card stays
        vm.open(shared);
        assertEquals(res, r.resultProperty().get(), "the copy's result card stays when its source image reopens");
        vm.open(copy);
        assertEquals(res, r.resultProperty().get(), "and when the copy is opened, as the window offers");
        vm.open(damaged);
        assertNull(r.resultProperty().get(), "another image has no result card");
    }
}

package io.qcowscope.app.ui.viewmodel.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.RepairPlanner;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.testkit.RescueCorpus;
import io.qcowscope.engine.testkit.RescueCorpus.Damage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rescue of an image the window cannot open, on the engine's damaged-image corpus (synchronous executor). */
class RescueViewModelTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    private RescueCorpus.Damaged damaged(Damage d) throws Exception {
        return RescueCorpus.damage(d, Files.createDirectories(dir.resolve(d.name())));
    }

    @Test
    void openFailsThenRescueOfferedPlansWritesACleanCopyAndOpensIt() throws Exception {
        RescueCorpus.Damaged d = damaged(Damage.CLUSTER_BITS_SNAPSHOT);
        byte[] before = Files.readAllBytes(d.image());
        MainViewModel vm = TestImages.open(d.image());
        assertNull(vm.sessionProperty().get(), "the window cannot open it");
        assertTrue(vm.errorProperty().get().startsWith("cannot open"), vm.errorProperty().get());
        assertEquals(d.image(), vm.rescuableProperty().get(), "a damaged qcow2 image: the rescue is offered");

        vm.rescueOffered();
        RescueViewModel r = vm.rescue();
        assertFalse(r.planningProperty().get());
        assertEquals("", r.pendingProperty().get());
        HeaderFieldRow bits = r.fields().get(0);
        assertEquals("cluster_bits", bits.field());
        assertEquals("64", bits.found());
        assertTrue(bits.chosen() >= 0, "the evidence is conclusive: a default is chosen");
        assertEquals(16, bits.choices().get(bits.chosen()).value(), "64 KiB clusters, as qemu-img made them");
        assertFalse(bits.choices().get(bits.chosen()).evidence().isBlank(), "the evidence is shown");
        RescueFixRow first = r.fixes().get(0);
        assertEquals(FixKind.RESCUE_CLUSTER_BITS, first.kind());
        assertTrue(first.isChosen() && first.header());
        r.setChosen(first, false);
        assertTrue(first.isChosen(), "a header candidate is chosen above, not unticked in the table");
        assertTrue(r.readyProperty().get());
        assertEquals(d.image().resolveSibling("damaged-rescued.qcow2"), r.targetProperty().get());
        assertTrue(r.changes().get(0).startsWith("header-cluster-bits [rewrites-metadata]"), r.changes().toString());

        r.rescue();
        RepairResult res = r.resultProperty().get();
        assertNotNull(res, r.statusProperty().get());
        assertTrue(res.clean(), r.statusProperty().get());
        Path copy = r.targetProperty().get();
        assertEquals(copy, res.target());
        assertEquals(0, Qemu.imgAllowFail(dir, "check", copy.toString()).exitCode());
        assertEquals(0, Qemu.imgAllowFail(dir, "compare", d.original().toString(), copy.toString()).exitCode(),
                "the guest reads as the undamaged original");
        assertArrayEquals(before, Files.readAllBytes(d.image()), "the damaged image is only read");

        r.openCopy();
        assertNotNull(vm.sessionProperty().get(), vm.errorProperty().get());
        assertEquals(copy, vm.sessionProperty().get().path(), "the rescued copy is open in the window");
        assertNull(vm.rescuableProperty().get(), "nothing to offer once an image opens");
    }

    private static byte[] sha(Path p) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    @Test
    void aRescueInPlaceIsCleanKeepsTheGuestAndFileUndoFromJournalPutsItBackBitForBit() throws Exception {
        RescueCorpus.Damaged d = damaged(Damage.CLUSTER_BITS_SNAPSHOT);
        byte[] damagedSha = sha(d.image());
        MainViewModel vm = TestImages.open(d.image());
        vm.rescueOffered();
        RescueViewModel r = vm.rescue();
        assertFalse(r.inPlaceProperty().get(), "a new copy is the default");
        assertTrue(r.confirmation().startsWith("Write the rescued copy damaged-rescued.qcow2"), r.confirmation());
        Path journal = d.image().resolveSibling("damaged.qcow2.undo");
        assertEquals(journal, r.journalProperty().get(), "the journal beside the image");
        r.inPlaceProperty().set(true);
        Path named = d.image().resolveSibling("my.undo");
        r.journalProperty().set(named);
        assertEquals("Rescue damaged.qcow2 in place, with the undo journal my.undo?", r.confirmation());
        assertTrue(r.confirmationDetail().contains("bit for bit"), r.confirmationDetail());

        Files.write(named, new byte[]{1});
        r.rescue();
        assertNull(r.resultProperty().get());
        assertTrue(r.statusProperty().get().contains("my.undo exists"), "a journal that exists is refused: "
                + r.statusProperty().get());
        assertArrayEquals(damagedSha, sha(d.image()), "nothing written");
        Files.delete(named);

        r.rescue();
        RepairResult res = r.resultProperty().get();
        assertNotNull(res, r.statusProperty().get());
        assertTrue(res.inPlace() && res.clean(), r.statusProperty().get());
        assertEquals(d.image(), res.target());
        assertEquals(named, res.journal());
        assertEquals(named, r.lastJournalProperty().get(), "Undo is offered");
        assertFalse(r.readyProperty().get(), "the plan of the bytes just rewritten is not applied twice");
        assertFalse(Files.exists(r.targetProperty().get()), "no copy is written in place");
        assertEquals(0, Qemu.imgAllowFail(dir, "check", d.image().toString()).exitCode());
        assertEquals(0, Qemu.imgAllowFail(dir, "compare", d.original().toString(), d.image().toString()).exitCode(),
                "the guest reads as the undamaged original");

        assertEquals(journal, r.journalProperty().get(), "a second rescue would record into a new journal");

        vm.edit().runner().undoFrom(named);
        assertArrayEquals(damagedSha, sha(d.image()), "File > Undo from journal puts the damaged file back: "
                + vm.errorProperty().get() + " / " + vm.statusProperty().get());
    }

    @Test
    void undoFromTheRescueWindowPutsTheDamagedFileBackAndPlansAgain() throws Exception {
        RescueCorpus.Damaged d = damaged(Damage.MAGIC);
        byte[] damagedSha = sha(d.image());
        RescueViewModel r = new RescueViewModel(new SyncTaskExecutor(), p -> {
        });
        r.start(d.image());
        r.inPlaceProperty().set(true);
        r.rescue();
        assertTrue(r.resultProperty().get().clean(), r.statusProperty().get());
        assertEquals(0, Qemu.imgAllowFail(dir, "check", d.image().toString()).exitCode());
        r.undo();
        assertArrayEquals(damagedSha, sha(d.image()), "bit for bit");
        assertNull(r.lastJournalProperty().get());
        assertNull(r.resultProperty().get());
        assertTrue(r.statusProperty().get().startsWith("undone: damaged.qcow2 is back"), r.statusProperty().get());
        assertFalse(r.fixes().isEmpty(), "planned again on the damaged file");
        assertEquals(d.image().resolveSibling("damaged.qcow2.undo-2"), r.journalProperty().get(),
                "the next journal is a new file");
    }

    @Test
    void aSecondRescueRefusesToOverwriteTheFirstCopy() throws Exception {
        RescueCorpus.Damaged d = damaged(Damage.MAGIC);
        RescueViewModel r = new RescueViewModel(new SyncTaskExecutor(), p -> {
        });
        r.start(d.image());
        Path copy = r.targetProperty().get();
        Files.write(copy, new byte[]{1, 2, 3});
        r.rescue();
        assertNull(r.resultProperty().get());
        assertTrue(r.statusProperty().get().contains("exists"), r.statusProperty().get());
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(copy), "an existing file is never overwritten");
        r.start(d.image());
        assertEquals(d.image().resolveSibling("damaged-rescued-2.qcow2"), r.targetProperty().get(),
                "a new plan proposes a free name");
        r.targetProperty().set(d.image());
        r.rescue();
        assertNull(r.resultProperty().get(), "never written in place");
        assertTrue(r.statusProperty().get().contains("another file"), r.statusProperty().get());
    }

    @Test
    void anInconclusiveFieldWaitsForTheUsersChoiceThenPlansTheRest() throws Exception {
        Path d = Files.createDirectories(dir.resolve("inconclusive"));
        Path image = RescueCorpus.build(RescueCorpus.Base.STD, d);
        Path original = d.resolve("original.qcow2");
        Files.copy(image, original);
        RescueCorpus.put32(image, 20, 0x40);
        RescueCorpus.put32(image, 96, 0x40);
        RescueViewModel r = new RescueViewModel(new SyncTaskExecutor(), p -> {
        });
        r.start(image);
        HeaderFieldRow bits = r.fields().get(0);
        assertEquals("cluster_bits", bits.field());
        if (bits.chosen() < 0) {
            assertFalse(r.pendingProperty().get().isEmpty(), "the plan says what it waits for");
            assertFalse(r.readyProperty().get(), "nothing is written before the user chooses");
            int sixteen = -1;
            for (int i = 0; i < bits.choices().size(); i++) {
                if (bits.choices().get(i).value() == 16) {
                    sixteen = i;
                }
            }
            assertTrue(sixteen >= 0, "16 is among the candidates: " + bits.choices());
            r.choose(bits, sixteen);
        }
        assertEquals("", r.pendingProperty().get(), r.pendingProperty().get());
        assertEquals(16, r.fields().get(0).choices().get(r.fields().get(0).chosen()).value());
        assertTrue(r.fields().stream().anyMatch(f -> f.field().equals("refcount_order")),
                "the next damaged field is planned once cluster_bits is chosen");
        r.rescue();
        assertTrue(r.resultProperty().get().clean(), r.statusProperty().get());
        assertEquals(0, Qemu.imgAllowFail(d, "compare", original.toString(), r.targetProperty().get().toString())
                .exitCode());
    }

    @Test
    void aFileThatIsNoQcow2IsNotOfferedARescue() throws Exception {
        byte[] noise = new byte[1 << 16];
        new Random(14).nextBytes(noise);
        Path f = Files.write(dir.resolve("noise.qcow2"), noise);
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.open(f);
        assertTrue(vm.errorProperty().get().startsWith("cannot open"), vm.errorProperty().get());
        assertNull(vm.rescuableProperty().get(), "not a qcow2 image: nothing to rescue");
        RescueViewModel r = vm.rescue();
        r.start(f);
        assertTrue(r.statusProperty().get().startsWith("not a qcow2 image, nothing to rescue"),
                r.statusProperty().get());
        assertTrue(r.fixes().isEmpty());
        assertFalse(r.readyProperty().get());
    }

    @Test
    void cancellingThePlanLeavesNoPlan() throws Exception {
        RescueCorpus.Damaged d = damaged(Damage.MAGIC);
        RescueViewModel r = new RescueViewModel(SyncTaskExecutor.cancellingAfter("plan rescue", 1), p -> {
        });
        r.start(d.image());
        assertEquals("rescue planning cancelled", r.statusProperty().get());
        assertFalse(r.planningProperty().get());
        assertTrue(r.fixes().isEmpty());
        assertFalse(r.readyProperty().get());
    }

    @Test
    void aMissingBackingFileNamedByTheUserIsOfferedAndRepointsTheCopy() throws Exception {
        RescueCorpus.Damaged d = damaged(Damage.BACKING_MISSING);
        RescueViewModel r = new RescueViewModel(new SyncTaskExecutor(), p -> {
        });
        r.start(d.image());
        assertTrue(r.fixes().stream().anyMatch(x -> x.kind() == FixKind.DROP_BACKING && !x.isChosen()),
                () -> "dropping the link is offered, never by default: " + r.statusProperty().get());
        r.backingFileProperty().set(d.options().backingFile());
        RescueFixRow repoint = r.fixes().stream().filter(x -> x.kind() == FixKind.REPOINT_BACKING).findFirst()
                .orElseThrow(() -> new AssertionError("no re-point once a backing file is named: " + r.statusProperty()
                        .get()));
        assertFalse(repoint.isChosen(), "never by default");
        r.setChosen(repoint, true);
        assertTrue(r.changes().stream().anyMatch(c -> c.startsWith("backing-repoint")), r.changes().toString());
        r.rescue();
        assertNotNull(r.resultProperty().get(), r.statusProperty().get());
        Path copy = r.targetProperty().get();
        assertEquals(0, Qemu.imgAllowFail(dir, "check", copy.toString()).exitCode());
        assertEquals(0, Qemu.imgAllowFail(dir, "compare", d.reference().toString(), copy.toString()).exitCode(),
                "the guest reads as the overlay did over its backing file");
    }

    @Test
    void theRepairWorkspaceOfAnImageThatOpensOffersTheOrphanRefcountBlock() throws Exception {
        RescueCorpus.Damaged d = damaged(Damage.ORPHAN_REFBLOCK);
        MainViewModel vm = TestImages.open(d.image());
        assertNotNull(vm.sessionProperty().get(), "the image opens: " + vm.errorProperty().get());
        RepairViewModel repair = vm.repair();
        repair.plan();
        assertTrue(repair.plannedProperty().get(), repair.statusProperty().get());
        FixRow relink = repair.rows().stream().filter(x -> x.kind() == FixKind.RELINK_ORPHAN_REFBLOCK).findFirst()
                .orElseThrow(() -> new AssertionError("no refblock relink in " + repair.rows()));
        assertFalse(relink.isChosen(), "never by default");
        assertTrue(RepairPlanner.plan(d.image(), ProgressMonitor.NONE).fixes().stream()
                .noneMatch(f -> f.kind() == FixKind.RELINK_ORPHAN_REFBLOCK), "strictly more than the repair planner");
    }

    @Test
    void theRepairTabNamesABackingFileForAMissingLinkCheckedByTheEngineNeverByDefault() throws Exception {
        RescueCorpus.Damaged d = damaged(Damage.BACKING_MISSING);
        MainViewModel vm = TestImages.open(d.image());
        assertNotNull(vm.sessionProperty().get(), "the image opens: " + vm.errorProperty().get());
        RepairViewModel repair = vm.repair();
        repair.plan();
        assertTrue(repair.backingBrokenProperty().get(), "the broken link is found: " + repair.statusProperty().get());
        FixRow drop = repair.rows().stream().filter(x -> x.kind() == FixKind.DROP_BACKING).findFirst().orElseThrow();
        assertFalse(drop.isChosen(), "dropping the link is never chosen by default");
        assertEquals(io.qcowscope.engine.repair.RiskLevel.CHANGES_GUEST_DATA, drop.risk());

        Path wrongSize = d.image().resolveSibling("small.qcow2");
        Qemu.img(d.image().getParent(), "create", "-q", "-f", "qcow2", wrongSize.toString(), "1M");
        repair.pointBackingAt(wrongSize);
        assertNull(repair.backingFileProperty().get(), "a file of another virtual size is not used");
        assertTrue(repair.statusProperty().get().startsWith("cannot point the backing link at small.qcow2"),
                repair.statusProperty().get());
        assertTrue(repair.statusProperty().get().contains("virtual size"), repair.statusProperty().get());
        assertTrue(repair.rows().stream().noneMatch(x -> x.kind() == FixKind.REPOINT_BACKING));
        assertTrue(repair.plannedProperty().get(), "planned again without it");

        repair.pointBackingAt(d.options().backingFile());
        assertEquals(d.options().backingFile(), repair.backingFileProperty().get());
        FixRow repoint = repair.rows().stream().filter(x -> x.kind() == FixKind.REPOINT_BACKING).findFirst()
                .orElseThrow(() -> new AssertionError("no re-point: " + repair.statusProperty().get()));
        assertFalse(repoint.isChosen(), "never by default");
        drop = repair.rows().stream().filter(x -> x.kind() == FixKind.DROP_BACKING).findFirst().orElseThrow();
        assertFalse(drop.isChosen());
        assertEquals(io.qcowscope.engine.repair.RiskLevel.CHANGES_GUEST_DATA, drop.risk(), "still marked");
        assertTrue(repoint.hasAlternative() && drop.hasAlternative(), "one way or the other");
        repair.choose(repoint);
        assertTrue(repoint.isChosen() && !drop.isChosen());
        assertTrue(repair.chosenPlan().selected().stream().anyMatch(f -> f.kind() == FixKind.REPOINT_BACKING));
        Path copy = d.image().resolveSibling("repointed.qcow2");
        io.qcowscope.engine.repair.RepairApplier.apply(repair.chosenPlan(),
                new io.qcowscope.engine.repair.RepairApplier.ToCopy(copy), ProgressMonitor.NONE);
        assertEquals(0, Qemu.imgAllowFail(dir, "check", copy.toString()).exitCode());
        assertEquals(0, Qemu.imgAllowFail(dir, "compare", d.reference().toString(), copy.toString()).exitCode(),
                "the plan as chosen in the tab: the guest reads as the overlay did over its backing file");
        repair.choose(drop);
        assertTrue(drop.isChosen() && !repoint.isChosen(), "choosing one clears the other");
    }
}

package io.qcowscope.app.ui.viewmodel.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dry run through the window's view-model: the steps in QEMU's order, the file unchanged, the comparison. */
class WriteDryRunViewModelTest {
    @TempDir
    Path dir;

    @Test
    void planListsStepsInQemuOrderAndComparesWithStandardL2() throws Exception {
        Qemu.requireInstalled();
        Path image = TestImages.extendedWithBacking(dir);
        String sha = sha(image);
        MainViewModel main = TestImages.open(image);
        WriteDryRunViewModel vm = main.writeDryRun();
        vm.setScratchDirectory(dir);
        assertEquals(new CompareTarget(65536, false), vm.compareWithProperty().get());
        vm.offsetProperty().set("0x11200");
        vm.lengthProperty().set("4k");
        vm.plan();
        assertTrue(vm.statusProperty().get().startsWith("Planned"), vm.statusProperty().get());
        assertEquals(sha, sha(image));
        var kinds = vm.steps().stream().map(PlanStep::kind).toList();
        assertEquals(PlanStep.Kind.RANGE, kinds.get(0));
        // data and refcounts, sync, L2, sync (spec B.3)
        int data = kinds.indexOf(PlanStep.Kind.DATA);
        int ref = kinds.indexOf(PlanStep.Kind.REFCOUNT);
        int l2 = kinds.indexOf(PlanStep.Kind.L2);
        int sync = kinds.indexOf(PlanStep.Kind.SYNC);
        assertTrue(data > 0 && ref > data && sync > ref && l2 > sync, kinds.toString());
        assertTrue(vm.steps().get(0).text().contains("subclusters 2 to 4"), vm.steps().get(0).text());
        assertTrue(vm.steps().stream().anyMatch(s -> s.text().contains("from the backing file")),
                vm.steps().toString());
        ComparisonFigure cow = vm.figures().get(0);
        assertEquals("COW copied", cow.name());
        assertEquals(512 + 1536, cow.thisImage());
        assertEquals(65536 - 4096, cow.other());
        assertTrue(vm.otherSteps().get(0).text().contains("standard L2"));
    }

    @Test
    void planRefusesARangeOutsideTheDisk() throws Exception {
        Qemu.requireInstalled();
        MainViewModel main = TestImages.open(TestImages.extendedWithBacking(dir));
        WriteDryRunViewModel vm = main.writeDryRun();
        vm.offsetProperty().set("4M");
        vm.plan();
        assertTrue(vm.statusProperty().get().contains("inside the disk"), vm.statusProperty().get());
        assertTrue(vm.steps().isEmpty());
    }

    private static String sha(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}

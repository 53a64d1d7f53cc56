package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.task.HoldingTaskExecutor;
import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.engine.check.Severity;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainViewModelTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    @Test
    void openLoadsEveryViewModelAndScansTheLayout() {
        Path img = TestImages.extendedWithBacking(dir);
        MainViewModel vm = TestImages.open(img);
        assertNotNull(vm.sessionProperty().get());
        assertTrue(vm.layoutReadyProperty().get());
        assertFalse(vm.busyProperty().get());
        assertEquals("", vm.errorProperty().get());
        assertTrue(vm.titleProperty().get().contains("top.qcow2"));
        assertFalse(vm.overview().headerFields().isEmpty());
        assertEquals(2, vm.overview().chain().size());
        assertTrue(vm.findings().findings().stream().allMatch(f -> f.severity() == Severity.WARNING), vm.findings().findings().toString());
        assertEquals(List.of(img.toAbsolutePath().normalize()), vm.recentFiles());
    }

    /**
     * While an image opens the empty Overview says which one (it said how to open an image, under a status bar saying
     * "opening ..."); opened, or failed to open, it says how to open one again.
     */
    @Test
    void overviewHintNamesTheImageWhileItOpens() throws Exception {
        Path img = TestImages.extendedWithBacking(dir);
        HoldingTaskExecutor holdingOpen = new HoldingTaskExecutor("open");
        MainViewModel vm = new MainViewModel(holdingOpen, RecentFiles.inMemory());
        assertEquals(OverviewViewModel.OPEN_HINT, vm.overview().hintProperty().get());
        vm.open(img);
        assertEquals("Opening top.qcow2...", vm.overview().hintProperty().get());
        holdingOpen.runHeld();
        assertFalse(vm.overview().headerFields().isEmpty());
        assertEquals(OverviewViewModel.OPEN_HINT, vm.overview().hintProperty().get());
        vm.open(dir.resolve("missing.qcow2"));
        assertEquals("Opening missing.qcow2...", vm.overview().hintProperty().get());
        holdingOpen.runHeld();
        assertEquals(OverviewViewModel.OPEN_HINT, vm.overview().hintProperty().get());
    }

    /**
     * A preallocation=metadata image: the disk usage is qemu-img info's "actual-size", and the guest data stored and the
     * data in holes follow it in the key figures, to be read beside it.
     */
    @Test
    void diskUsageIsQemuImgsAndGuestDataStoredIsBesideIt() throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "preallocation=metadata", "pre.qcow2", "256M");
        long actual = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Qemu.img(dir, "info", "--output=json", "pre.qcow2").stdout()).path("actual-size").asLong();
        MainViewModel vm = TestImages.open(dir.resolve("pre.qcow2"));
        List<String> names = vm.overview().figures().stream().map(FactRow::name).toList();
        int disk = names.indexOf("disk usage");
        assertEquals(List.of("disk usage", "guest data stored", "data in holes"), names.subList(disk, disk + 3),
                names.toString());
        assertEquals(Sizes.bytes(actual), vm.overview().figures().get(disk).value());
        assertEquals("256 MiB", vm.overview().figures().get(disk + 1).value(), "every cluster allocated");
    }

    /**
     * The demo, written sparsely by the engine (its metadata clusters are partly holes, its data is stored): no "data in
     * holes" row (it said "at least 280 KiB", counting the metadata as stored).
     */
    @Test
    void sparseMetadataIsNotCalledDataInHoles() {
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.openDemo();
        assertTrue(vm.layoutReadyProperty().get());
        List<String> names = vm.overview().figures().stream().map(FactRow::name).toList();
        assertTrue(names.contains("guest data stored"), names.toString());
        assertFalse(names.contains("data in holes"), vm.overview().figures().toString());
    }

    /** While the layout scan (and the check in it) runs the empty findings table says so, then that none were found. */
    @Test
    void findingsPlaceholderSaysTheCheckRunsThenThatItFoundNothing() throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "clean.qcow2", "4M");
        HoldingTaskExecutor holdingScan = new HoldingTaskExecutor("host layout");
        MainViewModel vm = new MainViewModel(holdingScan, RecentFiles.inMemory());
        vm.open(dir.resolve("clean.qcow2"));
        assertEquals(FindingsViewModel.CHECKING, vm.findings().placeholderProperty().get());
        holdingScan.runHeld();
        assertTrue(vm.findings().findings().isEmpty());
        assertEquals(FindingsViewModel.NO_FINDINGS, vm.findings().placeholderProperty().get());
    }

    /**
     * The scans' figures have their rows, "scanning...", before the scans deliver (the table keeps its rows, only their
     * text changes); a scan that stops says so in them; and the view-model says while its scans run.
     */
    @Test
    void scanFiguresSayScanningUntilTheirScanDelivers() throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "clean.qcow2", "4M");
        HoldingTaskExecutor holdingGuest = new HoldingTaskExecutor("guest map");
        MainViewModel vm = new MainViewModel(holdingGuest, RecentFiles.inMemory());
        vm.open(dir.resolve("clean.qcow2"));
        assertEquals(OverviewViewModel.SCANNING, figure(vm, "allocated clusters"));
        assertEquals(OverviewViewModel.SCANNING, figure(vm, "compressed clusters"));
        assertEquals("0 B", figure(vm, "leaked"), "the host layout scan has delivered");
        assertTrue(vm.scanningProperty().get(), "the guest scan still runs");
        int rows = vm.overview().figures().size();
        holdingGuest.runHeld();
        assertEquals("0 / 64", figure(vm, "allocated clusters"));
        assertEquals(rows, vm.overview().figures().size(), "the same rows, with their values");
        assertFalse(vm.scanningProperty().get());

        vm.open(dir.resolve("clean.qcow2"));
        vm.overview().scanStopped("scan cancelled");
        assertEquals("scan cancelled", figure(vm, "allocated clusters"));
        assertEquals("0 B", figure(vm, "leaked"), "a figure with its value keeps it");
    }

    /** The progress bar goes once from 0 to 1 over both scans: the guest scan its first third, the host scan the rest. */
    @Test
    void progressRisesOnceOverBothScans() throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=4k,preallocation=metadata", "p.qcow2", "64M");
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        List<Double> seen = new ArrayList<>();
        vm.progressProperty().addListener((o, a, b) -> seen.add(b.doubleValue()));
        vm.open(dir.resolve("p.qcow2"));
        int start = seen.indexOf(0.0);
        assertTrue(start >= 0, "the scans start the bar at 0: " + seen);
        List<Double> scans = seen.subList(start, seen.size() - 1); // the last: 0 once done
        for (int i = 1; i < scans.size(); i++) {
            assertTrue(scans.get(i) >= scans.get(i - 1) && scans.get(i) <= 1, "rises within 0..1: " + scans);
        }
        assertTrue(scans.stream().anyMatch(f -> f > 0 && f <= 1.0 / 3), "the guest scan's third: " + scans);
        assertTrue(scans.stream().anyMatch(f -> f > 1.0 / 3), "the host scan's rest: " + scans);
        assertEquals(0.0, seen.get(seen.size() - 1), "idle again");
    }

    private static String figure(MainViewModel vm, String name) {
        return vm.overview().figures().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no figure '" + name + "' in " + vm.overview().figures())).value();
    }

    @Test
    void openBackingOutsideFolderAsksAndFollowsWhenAllowed() throws Exception {
        Path top = TestImages.withBackingOutsideFolder(dir);
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        List<Path> asked = new ArrayList<>();
        vm.setTrustPrompt((image, name, resolved, why) -> {
            asked.add(resolved);
            return true;
        });
        vm.open(top);
        assertEquals(List.of(dir.resolve("b/base.qcow2").toAbsolutePath().normalize()), asked);
        assertNotNull(vm.sessionProperty().get().image().backing());
    }

    @Test
    void openBackingOutsideFolderStaysUnopenedWhenRefused() throws Exception {
        Path top = TestImages.withBackingOutsideFolder(dir);
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.setTrustPrompt((image, name, resolved, why) -> false);
        vm.open(top);
        assertNull(vm.sessionProperty().get().image().backing());
        assertTrue(vm.overview().chain().get(1).detail().startsWith("not opened"));
    }

    @Test
    void openMissingFileReportsError() {
        MainViewModel vm = TestImages.open(dir.resolve("nope.qcow2"));
        assertNull(vm.sessionProperty().get());
        assertTrue(vm.errorProperty().get().startsWith("cannot open"));
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void openDemoShowsLeakAndSnapshot() {
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.openDemo();
        assertEquals(1, vm.snapshots().snapshots().size());
        assertNotNull(vm.sessionProperty().get().image().backing());
        assertTrue(vm.findings().findings().stream().anyMatch(f -> f.severity() == Severity.LEAK));
        assertTrue(vm.recentFiles().isEmpty(), "the demo is not a recent file");
    }

    @Test
    void toggleThemeFlipsDark() {
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.toggleTheme();
        assertTrue(vm.darkThemeProperty().get());
    }
}

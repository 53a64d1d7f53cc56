package io.qcowscope.app.ui.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.edit.ApplyRequest;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's Apply beside qemu-io doing the same writes (not a test of speed: it prints figures). Run with
 * {@code -Dtest=EditApplyBenchmark -Dqcowscope.excludedGroups=none}.
 */
@Tag("benchmark")
class EditApplyBenchmark {
    @TempDir
    Path dir;

    @Test
    void applyInPlaceWithJournalToACopyAndUndoBesideQemuIo() throws Exception {
        Qemu.requireInstalled();
        Path img = io.qcowscope.app.ui.viewmodel.edit.EditTestImages.extendedOverBacking(dir, "1G", "512M", "0", "128M");
        byte[] before = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(img));
        String[] ops = {"write -q -P 0x5a 1000 256M", "write -q -z -u 64M 64M", "discard 300M 100M"};

        long t0 = System.nanoTime();
        Qemu.io(dir, "theirs.qcow2", ops);
        double qemu = (System.nanoTime() - t0) / 1e9;

        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.open(img);
        vm.edit().mode().enter();
        queue(vm);
        long t1 = System.nanoTime();
        vm.edit().runner().apply(ApplyRequest.inPlace(dir.resolve("ours.undo")));
        double inPlace = (System.nanoTime() - t1) / 1e9; // includes the reopen and the rescan of the views
        assertEquals("", vm.errorProperty().get());
        long journal = Files.size(dir.resolve("ours.undo"));

        long t2 = System.nanoTime();
        vm.edit().runner().undoLast();
        double undo = (System.nanoTime() - t2) / 1e9;
        assertArrayEquals(before, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(img)));

        queue(vm);
        long t3 = System.nanoTime();
        vm.edit().runner().apply(ApplyRequest.toCopy(dir.resolve("copy.qcow2")));
        double copy = (System.nanoTime() - t3) / 1e9;
        vm.edit().mode().leave();
        Qemu.img(dir, "compare", "copy.qcow2", "theirs.qcow2");

        System.out.printf("edit apply (256M write, 64M zero+unmap, 100M discard on a 1G ext-L2 image over a backing "
                        + "file), load %s%n  qemu-io %.2f s%n  window apply in place with journal %.2f s (%.2fx), journal "
                        + "%d MiB%n  undo %.2f s%n  window apply to a sparse copy %.2f s (%.2fx)%n",
                Files.readString(Path.of("/proc/loadavg")).trim(), qemu, inPlace, inPlace / qemu, journal >> 20, undo,
                copy, copy / qemu);
    }

    private static void queue(MainViewModel vm) {
        var e = vm.edit();
        e.rangeOffsetProperty().set("1000");
        e.rangeLengthProperty().set("256M");
        e.queuePattern("0x5a");
        e.rangeOffsetProperty().set("64M");
        e.rangeLengthProperty().set("64M");
        e.queueZero(true);
        e.rangeOffsetProperty().set("300M");
        e.rangeLengthProperty().set("100M");
        e.queueDiscard();
    }
}

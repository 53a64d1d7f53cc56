package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.check.Severity;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every view-model opens the kinds of images qemu-img makes, and the engine layout agrees with qemu-img check. */
class ImageVariantsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"compat=0.10", "cluster_size=512", "refcount_bits=1", "refcount_bits=64",
        "cluster_size=2097152", "lazy_refcounts=on", "compression_type=zstd", "extended_l2=on,cluster_size=16384"})
    void openVariantLoadsWithoutFindings(String options) {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", options, "v.qcow2", "8M");
        Qemu.io(dir, "v.qcow2", "write -P 0x11 0 100k", "write -P 0x22 5M 4k");
        if (!options.startsWith("compat") && !options.equals("refcount_bits=1")) {
            Qemu.img(dir, "snapshot", "-c", "s", "v.qcow2");
            Qemu.io(dir, "v.qcow2", "write -P 0x33 0 4k");
        }
        MainViewModel vm = TestImages.open(dir.resolve("v.qcow2"));
        assertEquals("", vm.errorProperty().get());
        assertTrue(vm.layoutReadyProperty().get());
        assertTrue(vm.findings().findings().stream().allMatch(f -> f.severity() == Severity.WARNING), vm.findings().findings().toString());
        assertTrue(vm.overview().figures().size() > 10);
        vm.selection().selectGuest(0);
        assertTrue(vm.selection().hostClusterProperty().get() > 0);
        assertEquals(HostClusterRole.DATA, vm.hostMap().roleOf(vm.selection().hostClusterProperty().get()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bitmap"})
    void openImageWithPersistentBitmap(String name) {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "b.qcow2", "8M");
        Qemu.io(dir, "b.qcow2", "write -P 0x11 0 100k");
        Qemu.img(dir, "bitmap", "--add", "b.qcow2", name);
        MainViewModel vm = TestImages.open(dir.resolve("b.qcow2"));
        assertEquals("", vm.errorProperty().get());
        assertTrue(vm.findings().findings().stream().allMatch(f -> f.severity() == Severity.WARNING), vm.findings().findings().toString());
        assertTrue(vm.hostMap().source().bytesOf(HostClusterRole.BITMAP_DIRECTORY) > 0);
    }
}

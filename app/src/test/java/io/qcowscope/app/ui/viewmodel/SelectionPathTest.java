package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionPathTest {
    @TempDir
    Path dir;

    @Test
    void crumbsNameTheStructuresOfTheSelectedGuestClusterAndSelectThemAgain() throws Exception {
        Qemu.requireInstalled();
        Path image = TestImages.extendedWithBacking(dir);
        long l2;
        long host;
        try (Qcow2Image img = Qcow2Image.open(image)) {
            l2 = L1Entry.l2Offset(img.l1Entry(0));
            host = img.l2Entry(l2, (int) TestImages.AFTER_SNAPSHOT).hostOffset() >>> 16;
        }
        MainViewModel vm = TestImages.open(image);
        List<String> seen = new ArrayList<>();
        vm.selectionPath().crumbs().addListener((javafx.collections.ListChangeListener<SelectionPath.Crumb>) c ->
                seen.add(String.valueOf(vm.selectionPath().crumbs())));
        System.gc();
        vm.selection().selectGuest(TestImages.AFTER_SNAPSHOT);
        assertEquals(List.of("L1[0]", "L2@" + Sizes.hex(l2) + "[32]", "guest cluster 32", "host cluster " + host),
                vm.selectionPath().crumbs().stream().map(SelectionPath.Crumb::label).toList());
        assertEquals(true, !seen.isEmpty(), "a listener on crumbs() hears changes after a GC");
        vm.selection().selectGuest(TestImages.PARTLY_WRITTEN);
        vm.selectionPath().crumbs().get(2).select().run();
        assertEquals(TestImages.PARTLY_WRITTEN, vm.selection().guestClusterProperty().get());
        vm.selection().selectGuest(TestImages.AFTER_SNAPSHOT);
        vm.selectionPath().crumbs().get(3).select().run();
        assertEquals(host, vm.selection().hostClusterProperty().get(), "the host crumb selects the host cluster");
    }
}

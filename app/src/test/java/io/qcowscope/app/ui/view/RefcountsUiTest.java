package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.app.ui.viewmodel.RefcountsViewModel.RefcountRow;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The refcounts of a qemu-made image with a leak: as many mismatched rows as qemu-img check finds leaks. */
@ExtendWith(ApplicationExtension.class)
class RefcountsUiTest {
    @TempDir
    static Path dir;
    static Path image;
    static long leaks;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.withLeak(dir, 7);
        leaks = new ObjectMapper().readTree(Qemu.run(dir, 60, "qemu-img", "check", "--output=json", "leak.qcow2")
                .stdout()).path("leaks").asLong();
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void refcountBlockMarksTheLeakQemuImgCheckFinds(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 4);
        TableView<?> rt = robot.lookup("#reftable").queryAs(TableView.class);
        robot.interact(() -> rt.getSelectionModel().select(0));
        // the block is read off the FX thread: wait for it to land (read on the FX thread)
        org.testfx.util.WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS,
                () -> org.testfx.util.WaitForAsyncUtils.asyncFx(() -> !ui.vm.refcounts().blockLoadingProperty().get())
                        .get());
        WindowUi.settle();
        TableView<?> block = robot.lookup("#refblock").queryAs(TableView.class);
        long mismatched = block.getItems().stream().map(RefcountRow.class::cast).filter(RefcountRow::mismatch).count();
        assertEquals(1, leaks, "qemu-img check");
        assertEquals(leaks, mismatched);
        ui.assertNothingElidedAtBothSizes(robot, "refcounts");
    }
}

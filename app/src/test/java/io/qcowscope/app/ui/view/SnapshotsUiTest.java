package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.format.SnapshotEntry;
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

/** The snapshot table of a qemu-made image with snapshot s1, as qemu-img snapshot -l lists it. */
@ExtendWith(ApplicationExtension.class)
class SnapshotsUiTest {
    @TempDir
    static Path dir;
    static Path image;
    static String listing;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
        listing = Qemu.run(dir, 60, "qemu-img", "snapshot", "-l", "top.qcow2").stdout();
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void snapshotTableListsWhatQemuImgListsWithNothingElided(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 5);
        TableView<?> t = robot.lookup("#snapshots").queryAs(TableView.class);
        assertEquals(1, t.getItems().size());
        SnapshotEntry s = (SnapshotEntry) t.getItems().get(0);
        assertEquals("s1", s.name());
        assertTrue(listing.lines().anyMatch(l -> l.trim().startsWith(s.id() + " ") && l.contains(" s1 ")), listing);
        ui.assertNothingElidedAtBothSizes(robot, "snapshots");
    }
}

package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The findings view of a qemu-made image with a leak: qemu-img check's counters, in good English, nothing elided. */
@ExtendWith(ApplicationExtension.class)
class FindingsViewUiTest {
    @TempDir
    static Path dir;
    static Path image;
    static JsonNode check;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.withLeak(dir, 7);
        check = new ObjectMapper().readTree(Qemu.run(dir, 60, "qemu-img", "check", "--output=json", "leak.qcow2")
                .stdout());
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void summaryCountsAsQemuImgCheckWithNothingElided(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 6);
        Label summary = robot.lookup("#findingsSummary").queryAs(Label.class);
        assertEquals(Plural.of(check.path("corruptions").asLong(), "corruption") + ", "
                + Plural.of(check.path("leaks").asLong(), "leaked cluster") + ", "
                + Plural.of(check.path("check-errors").asLong(), "check error"), summary.getText());
        assertEquals("0 corruptions, 1 leaked cluster, 0 check errors", summary.getText());
        ui.assertNothingElidedAtBothSizes(robot, "findings");
    }
}

package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.app.ui.viewmodel.FactRow;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.format.HeaderField;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The overview of a qemu-made image over a backing file: qemu-img info's figures, every label whole. */
@ExtendWith(ApplicationExtension.class)
class OverviewUiTest {
    @TempDir
    static Path dir;
    static Path image;
    static JsonNode info;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
        info = new ObjectMapper().readTree(Qemu.run(dir, 60, "qemu-img", "info", "--output=json", "top.qcow2").stdout());
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void overviewShowsQemuImgInfoFiguresWithNothingElided(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 0);
        TableView<?> figures = robot.lookup("#figuresTable").queryAs(TableView.class);
        assertEquals(Sizes.bytes(info.get("virtual-size").asLong()), figure(figures, "virtual size"));
        assertEquals(Sizes.bytes(info.get("actual-size").asLong()), figure(figures, "disk usage"),
                "qemu-img info's disk size (st_blocks)");
        assertEquals(Sizes.bytes(info.get("cluster-size").asLong()), figure(figures, "cluster size"));
        TableView<?> header = robot.lookup("#headerTable").queryAs(TableView.class);
        assertTrue(header.getItems().stream().map(HeaderField.class::cast)
                .anyMatch(f -> f.name().equals("cluster_bits") && f.value() == 16), "cluster_bits 16");
        TableView<?> chain = robot.lookup("#chainTable").queryAs(TableView.class);
        assertEquals(2, chain.getItems().size(), "the image and its backing file");
        assertTrue(((FactRow) chain.getItems().get(1)).value().endsWith(info.get("backing-filename").asText()));
        ui.assertNothingElidedAtBothSizes(robot, "overview");
    }

    static String figure(TableView<?> t, String name) {
        // the figures' rows are slots that take the scans' values in place (LiveRows)
        return t.getItems().stream().map(r -> r instanceof ObservableValue<?> slot ? slot.getValue() : r)
                .map(FactRow.class::cast).filter(r -> r.name().equals(name)).findFirst()
                .map(FactRow::value).orElse("(no " + name + ")");
    }
}

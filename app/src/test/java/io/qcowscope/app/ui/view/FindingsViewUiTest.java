package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.testkit.DamagedImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
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

    /**
     * The leak at 1024x700: no finding concerns a guest cluster, so that column is left out, and the message and its
     * path ("reftable[0] -> refblock@0x20000[7] (cluster 7)") are each on one line (the path's last word wrapped).
     */
    @Test
    void leakMessageAndPathOnOneLineAt1024(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.resize(robot, 1024, 700);
        ui.show(robot, 6);
        @SuppressWarnings("unchecked")
        TableView<Finding> t = robot.lookup("#findings").queryAs(TableView.class);
        assertTrue(t.getColumns().stream().noneMatch(c -> "Guest cluster".equals(c.getText()) && c.isVisible()),
                "an empty Guest cluster column is shown");
        java.util.List<String> wrapped = new java.util.ArrayList<>();
        for (javafx.scene.Node n : t.lookupAll(".wrapping-cell-text")) {
            Text shown = (Text) n;
            if (shown.getText().isEmpty() || !n.isVisible()) {
                continue;
            }
            Text oneLine = new Text(shown.getText());
            oneLine.setFont(shown.getFont());
            if (Math.ceil(oneLine.getLayoutBounds().getWidth()) > shown.getWrappingWidth()) {
                wrapped.add("'" + shown.getText() + "' in " + shown.getWrappingWidth() + " px");
            }
        }
        assertEquals(java.util.List.of(), wrapped, "cells wrapped at 1024x700");
    }

    /**
     * Corruptions, a leak and a subcluster overlap at 1024x700: each message that fits the table's spare width is on one
     * line (the message column takes that width, not the last column), and the Findings & Repair tab does not scroll
     * sideways.
     */
    @Test
    void messagesTakeTheSpareWidthOnOneLineAt1024(FxRobot robot) throws Exception {
        Path damaged = DamagedImages.leakRefcountZeroAndOverlap(java.nio.file.Files.createDirectories(dir.resolve("d")));
        ui.waitForScan();
        robot.interact(() -> ui.vm.open(damaged));
        ui.waitForScan();
        ui.resize(robot, 1024, 700);
        ui.show(robot, 6);
        @SuppressWarnings("unchecked")
        TableView<Finding> t = robot.lookup("#findings").queryAs(TableView.class);
        assertTrue(t.getItems().size() >= 3, t.getItems().toString());
        TableColumn<Finding, ?> message = t.getColumns().stream().filter(c -> "Finding".equals(c.getText()))
                .findFirst().orElseThrow();
        double others = t.getVisibleLeafColumns().stream().filter(c -> c != message)
                .mapToDouble(TableColumn::getMinWidth).sum();
        double spare = t.getWidth() - others - Columns.TABLE_CHROME;
        Text measure = new Text();
        for (Finding f : t.getItems()) {
            // the cell's font (the table's, Primer 14 px) and its wrapping width (the column's less 14 px)
            measure.setFont(Font.font(Font.getDefault().getFamily(), 14));
            measure.setText(f.message());
            double oneLine = Math.ceil(measure.getLayoutBounds().getWidth());
            if (oneLine + 20 <= spare) {
                assertTrue(oneLine <= message.getWidth() - 14, "'" + f.message() + "' (" + oneLine
                        + " px) wraps in a column " + message.getWidth() + " px wide with " + spare + " px to spare");
            }
        }
        ui.assertNothingElided("findings of a damaged image at 1024x700");
    }
}

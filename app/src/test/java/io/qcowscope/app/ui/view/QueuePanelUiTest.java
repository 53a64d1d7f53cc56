package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.app.ui.viewmodel.edit.PendingOperation;
import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The pending-operations panel: an operation whose title takes two or three lines shows its whole risk badge. */
@ExtendWith(ApplicationExtension.class)
class QueuePanelUiTest {
    @TempDir
    static Path dir;
    static Path image;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.withLeak(dir, 7);
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    /** An operation that is only shown: it is never applied here. */
    private static PendingOperation queued(String title, RiskLevel risk) {
        return new PendingOperation() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public List<String> changes() {
                return List.of(title);
            }

            @Override
            public RiskLevel risk() {
                return risk;
            }

            @Override
            public String apply(Path target, UndoJournal journal, ProgressMonitor monitor) {
                throw new UnsupportedOperationException("shown only");
            }
        };
    }

    @Test
    void riskBadgesOfMultiLineOperationsAreWhole(FxRobot robot) throws Exception {
        ui.waitForScan();
        robot.interact(() -> {
            ui.vm.edit().queue().add(queued("Zero 64 KiB at 0x10000 (unmap)", RiskLevel.CHANGES_GUEST_DATA));
            ui.vm.edit().queue().add(queued("Repair: rebuild the refcounts of 3 clusters and free the leaked cluster "
                    + "at 0x70000 (4 fixes of the plan)", RiskLevel.REWRITES_METADATA));
            ui.vm.edit().queue().add(queued("Delete snapshot 2 'before-kernel-upgrade' and free the clusters only it "
                    + "refers to, which may take a while on a large image", RiskLevel.SAFE));
        });
        ui.show(robot, 2);
        for (double[] size : new double[][] {{1600, 1000}, {1024, 700}}) {
            ui.resize(robot, size[0], size[1]);
            String where = (int) size[0] + "x" + (int) size[1];
            List<Label> badges = robot.lookup("#queueList .risk-badge").queryAllAs(Label.class).stream()
                    .filter(Node::isVisible).toList();
            assertEquals(3, badges.size(), where);
            boolean wrapped = false;
            for (Label badge : badges) {
                ListCell<?> cell = cellOf(badge);
                Bounds b = badge.localToScene(badge.getLayoutBounds());
                Bounds c = cell.localToScene(cell.getLayoutBounds());
                assertTrue(b.getMaxY() <= c.getMaxY() + 0.5 && badge.getHeight() >= badge.prefHeight(-1) - 0.5,
                        where + ": the badge '" + badge.getText() + "' is cut: its bottom at " + b.getMaxY()
                                + ", its cell's at " + c.getMaxY());
                Label title = (Label) ((javafx.scene.layout.VBox) badge.getParent()).getChildren().get(0);
                wrapped |= title.getHeight() > 1.5 * badge.getHeight();
            }
            assertTrue(wrapped, where + ": some title takes two lines or more");
            ui.assertNothingElided("pending operations at " + where);
        }
    }

    private static ListCell<?> cellOf(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p instanceof ListCell<?> c) {
                return c;
            }
        }
        throw new AssertionError("no cell holds " + n);
    }
}

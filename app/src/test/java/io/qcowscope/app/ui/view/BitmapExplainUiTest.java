package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.app.ui.viewmodel.teach.Explanation;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Bitmaps are selectable as themselves: the Snapshots tab lists the bitmap directory of a qemu-img-made image and the
 * selected bitmap's table; a click on a bitmap gives the Explain panel the bitmap texts (assets/teaching) with this
 * image's values, and a click on a table entry what its bits are.
 */
@ExtendWith(ApplicationExtension.class)
class BitmapExplainUiTest {
    @TempDir
    static Path dir;
    static Path image;
    WindowUi ui;

    @BeforeAll
    static void make() {
        Qemu.requireInstalled();
        image = TestImages.withBitmaps(dir);
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void aSelectedBitmapIsExplained(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 5);
        robot.type(KeyCode.F1);
        WindowUi.settle();
        TableView<?> bitmaps = robot.lookup("#bitmaps").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> bitmaps.getItems().size() == 2);
        assertTrue(ui.vm.snapshots().bitmapStatusProperty().get().contains("2 persistent bitmaps"),
                ui.vm.snapshots().bitmapStatusProperty().get());

        robot.clickOn("tracked");
        TableView<?> table = robot.lookup("#bitmapTable").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        WindowUi.settle();
        assertEquals("bitmap 'tracked'", ui.vm.explain().headingProperty().get());
        assertEquals(List.of("topic/bitmap", "role/bitmap_directory", "role/bitmap_table"), ids());
        String topic = here("topic/bitmap");
        assertTrue(topic.contains("one bit per 64 KiB") && topic.contains("auto flag is set"), topic);
        assertTrue(here("role/bitmap_table").contains("1 entry points to a cluster of bits"),
                here("role/bitmap_table"));
        assertTrue(shownText(robot).contains("Persistent dirty bitmap"), "the teaching text is rendered: "
                + shownText(robot));

        robot.clickOn("bits in the cluster at 0x40000");
        WindowUi.settle();
        assertTrue(ids().contains("role/bitmap_data"), ids().toString());
        assertTrue(here("role/bitmap_data").contains("covers guest 0x0 to"), here("role/bitmap_data"));

        robot.clickOn("quiet");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() ->
                here("role/bitmap_table").contains("1 entry says all zeros without a cluster")).get());
        assertTrue(here("topic/bitmap").contains("one bit per 1 MiB") && here("topic/bitmap").contains("auto flag is "
                + "clear"), here("topic/bitmap"));
        ui.assertNothingElidedAtBothSizes(robot, "snapshots and bitmaps with the explain panel");
    }

    private List<String> ids() {
        return ui.vm.explain().sections().stream().map(e -> e.concept().id()).collect(Collectors.toList());
    }

    private String here(String id) {
        return ui.vm.explain().sections().stream().filter(e -> e.concept().id().equals(id)).map(Explanation::inThisImage)
                .findFirst().orElse("(no section " + id + ")");
    }

    private static String shownText(FxRobot robot) {
        StringBuilder b = new StringBuilder();
        collect(robot.lookup("#explainPanel").query(), b);
        return b.toString();
    }

    private static void collect(Node n, StringBuilder out) {
        if (n instanceof Text t && n.getParent() instanceof TextFlow) {
            out.append(t.getText());
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collect(c, out);
            }
        }
    }
}

package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.view.teach.MarkdownView;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.app.ui.viewmodel.teach.Concept;
import io.qcowscope.app.ui.viewmodel.teach.Concepts;
import io.qcowscope.app.ui.viewmodel.teach.Explanation;
import io.qcowscope.app.ui.viewmodel.teach.TeachingTexts;
import io.qcowscope.engine.format.HeaderField;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
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
 * The Explain panel (F1) on the qemu-made test image: it explains the selected L2 entry, its subcluster states and its host
 * cluster with this image's values (COPIED from the refcount: shared after the snapshot, in place after it), a header field,
 * renders every selectable concept's text into JavaFX nodes, and elides no label at 1600x1000 or 1024x700.
 */
@ExtendWith(ApplicationExtension.class)
class ExplainPanelUiTest {
    @TempDir
    static Path dir;
    static Path image;
    WindowUi ui;

    @BeforeAll
    static void make() {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void explainsTheSelectionAndRendersEveryText(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 2);
        assertFalse(ui.view.teachShownProperty().get());
        robot.type(KeyCode.F1);
        WindowUi.settle();
        assertTrue(ui.view.teachShownProperty().get(), "F1 opens the panel");
        assertTrue(robot.lookup("#explainPanel").query().isVisible());

        select(robot, TestImages.PARTLY_WRITTEN);
        List<String> ids = ids();
        assertTrue(ids.containsAll(List.of("topic/l2-entry-extended", "subcluster/normal", "subcluster/unallocated_alloc",
                "role/data")), ids.toString());
        String entry = here("topic/l2-entry-extended");
        assertTrue(entry.contains("shared (refcount 2)") && entry.contains("copies the cluster"), entry);
        assertTrue(here("subcluster/normal").contains("4 subclusters of 2 KiB are NORMAL: 0-3"),
                here("subcluster/normal"));
        assertTrue(shownText(robot).contains("Extended L2 entry (128 bits)"), "the generic text is rendered: "
                + shownText(robot));

        select(robot, TestImages.AFTER_SNAPSHOT);
        String after = here("topic/l2-entry-extended");
        assertTrue(after.contains("COPIED because the cluster's refcount is exactly 1; a write here goes in place"), after);

        select(robot, TestImages.COMPRESSED);
        assertTrue(ids().containsAll(List.of("subcluster/compressed", "topic/compressed-descriptor", "role/compressed")),
                ids().toString());

        HeaderField clusterBits = ui.vm.overview().headerFields().stream().filter(f -> f.name().equals("cluster_bits"))
                .findFirst().orElseThrow();
        robot.interact(() -> ui.vm.overview().selectedHeaderFieldProperty().set(clusterBits));
        WindowUi.settle();
        assertEquals("header/cluster_bits", ids().get(0));
        assertTrue(here("header/cluster_bits").contains("an L2 table holds 4096 entries"), here("header/cluster_bits"));

        // Every selectable concept's text renders: a title and wrapped paragraphs with text, laid out in the panel.
        List<Concept> all = Concepts.selectable(ui.vm.overview().headerFields());
        VBox box = new VBox();
        robot.interact(() -> {
            for (Concept c : all) {
                box.getChildren().add(new MarkdownView(TeachingTexts.markdown(c)));
            }
            ((VBox) robot.lookup("#explainPanel").query()).getChildren().add(box);
        });
        WindowUi.settle();
        for (Node n : box.getChildren()) {
            MarkdownView m = (MarkdownView) n;
            assertTrue(m.getChildren().size() >= 2, "title and text");
            assertTrue(m.getHeight() > 20, "laid out: " + texts(m));
            assertFalse(texts(m).isBlank());
        }
        robot.interact(() -> ((VBox) robot.lookup("#explainPanel").query()).getChildren().remove(box));
        select(robot, TestImages.PARTLY_WRITTEN);
        ui.assertNothingElidedAtBothSizes(robot, "explain panel");
        // Below the views in a narrow window: every tab header stays on the strip, and the maps keep most of the height.
        assertTrue(ui.view.tabs().getHeight() >= 280, "the panel leaves the views room at 1024x700: "
                + ui.view.tabs().getHeight());
    }

    private void select(FxRobot robot, long guestCluster) throws Exception {
        robot.interact(() -> ui.vm.guestMap().select(guestCluster));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() ->
                ui.vm.tables().selectedL2Property().get() == (int) guestCluster).get());
        WindowUi.settle();
    }

    private List<String> ids() {
        return ui.vm.explain().sections().stream().map(e -> e.concept().id()).collect(Collectors.toList());
    }

    private String here(String id) {
        return ui.vm.explain().sections().stream().filter(e -> e.concept().id().equals(id)).map(Explanation::inThisImage)
                .findFirst().orElse("(no section " + id + ")");
    }

    private static String shownText(FxRobot robot) {
        return texts((Parent) robot.lookup("#explainPanel").query());
    }

    private static String texts(Parent p) {
        List<String> out = new ArrayList<>();
        collect(p, out);
        return String.join("", out);
    }

    private static void collect(Node n, List<String> out) {
        if (n instanceof Text t && n.getParent() instanceof TextFlow) {
            out.add(t.getText());
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collect(c, out);
            }
        }
    }
}

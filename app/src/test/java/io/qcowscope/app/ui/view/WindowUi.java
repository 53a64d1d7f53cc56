package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.geometry.Orientation;
import javafx.scene.control.Control;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole window on one image for a view's TestFX test: opens it at 1600x1000, waits for the layout scan, switches
 * tabs, resizes, and finds labels whose text is elided (the clipped-label check every view test runs).
 */
final class WindowUi {
    final MainViewModel vm;
    final MainView view;
    final Stage stage;

    private WindowUi(Stage stage, MainViewModel vm, MainView view) {
        this.stage = stage;
        this.vm = vm;
        this.view = view;
    }

    /** For a test's {@code @Start}: the window at 1600x1000 in the light theme, {@code image} opening. */
    static WindowUi start(Stage stage, Path image) {
        QcowscopeApp.applyTheme(false);
        MainViewModel vm = new MainViewModel(new FxTaskExecutor(), RecentFiles.inMemory());
        MainView view = new MainView(vm);
        Scene scene = WindowScene.create(view, 1600, 1000);
        stage.setScene(scene);
        stage.show();
        vm.open(image);
        return new WindowUi(stage, vm, view);
    }

    /** Waits for the layout scan and the layout passes after it (columns grow to their content, then rows redo). */
    void waitForScan() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.layoutReadyProperty().get());
        // the L2 table the tables view shows is read off the FX thread: wait for it to land (read on the FX thread)
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.asyncFx(() -> !vm.tables().l2LoadingProperty().get()).get());
        settle();
    }

    static void settle() {
        for (int i = 0; i < 4; i++) {
            WaitForAsyncUtils.sleep(120, TimeUnit.MILLISECONDS);
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    /** Selects tab {@code index} (0 Overview .. 6 Findings), as Ctrl+1..7 do. */
    void show(FxRobot robot, int index) {
        robot.interact(() -> view.tabs().getSelectionModel().select(index));
        settle();
    }

    void resize(FxRobot robot, double width, double height) {
        robot.interact(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
        settle();
    }

    /** Every tab header is on the tab strip: no overflow menu hides some of them. */
    void assertTabsFit(FxRobot robot) {
        Node overflow = view.tabs().lookup(".control-buttons-tab");
        boolean shown = overflow != null && overflow.isVisible();
        if (shown) {
            for (Node n = overflow; n != null && shown; n = n.getParent()) {
                shown = n.isVisible();
            }
        }
        org.junit.jupiter.api.Assertions.assertFalse(shown, "the tabs overflow into a menu at " + stage.getWidth());
    }

    /**
     * The clipped-label check at 1600x1000, then at 1024x700 with every tab on the strip; leaves the window at 1024x700.
     */
    void assertNothingElidedAtBothSizes(FxRobot robot, String view) {
        assertNothingElided(view + " at 1600x1000");
        resize(robot, 1024, 700);
        assertTabsFit(robot);
        assertNothingElided(view + " at 1024x700");
    }

    /**
     * Fails naming every visible label of the window whose text is elided, and every visible table, list or scroll pane
     * whose content is wider than its viewport (a horizontal scroll bar shows).
     */
    void assertNothingElided(String where) {
        assertNothingElided(view, where);
    }

    /** Fails naming every visible label under {@code root} (another window's too) whose text is elided. */
    static void assertNothingElided(Node root, String where) {
        List<String> elided = new ArrayList<>();
        collect(root, elided);
        assertEquals(List.of(), elided, where + ": labels shown with an ellipsis");
        List<String> scrolling = new ArrayList<>();
        collectScrolling(root, scrolling);
        assertEquals(List.of(), scrolling, where + ": tables and panes that scroll sideways");
    }

    /**
     * Visible tables and lists (VirtualFlow holders) showing a horizontal scroll bar, and scroll panes showing their own
     * (not one of a table inside them).
     */
    private static void collectScrolling(Node n, List<String> out) {
        if (!n.isVisible()) {
            return;
        }
        if (n instanceof ScrollPane sp && sp.getWidth() > 0) {
            for (Node bar : sp.getChildrenUnmodifiable()) {
                if (bar instanceof ScrollBar sb && sb.getOrientation() == Orientation.HORIZONTAL && sb.isVisible()) {
                    Node content = sp.getContent();
                    out.add("ScrollPane" + (sp.getId() == null ? "" : " #" + sp.getId()) + " of "
                            + (content == null ? "nothing" : content.getClass().getSimpleName()) + " "
                            + Math.round(sp.getViewportBounds().getWidth()) + " px wide scrolls "
                            + Math.round(content == null ? 0 : content.getLayoutBounds().getWidth()) + " px sideways");
                }
            }
        }
        if (n instanceof Control c && (c instanceof TableView<?> || c instanceof ListView<?>) && c.getWidth() > 0) {
            for (Node bar : c.lookupAll(".scroll-bar")) {
                if (bar instanceof ScrollBar sb && sb.getOrientation() == Orientation.HORIZONTAL && shown(sb, c)) {
                    out.add(describe(c) + " " + Math.round(c.getWidth()) + " px wide scrolls " + Math.round(sb.getMax())
                            + " px sideways");
                }
            }
            return;
        }
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                collectScrolling(child, out);
            }
        }
    }

    /** True when {@code n} and every parent up to {@code top} is visible. */
    private static boolean shown(Node n, Node top) {
        for (Node x = n; x != null; x = x.getParent()) {
            if (!x.isVisible()) {
                return false;
            }
            if (x == top) {
                return true;
            }
        }
        return true;
    }

    private static String describe(Control c) {
        StringBuilder s = new StringBuilder(c.getClass().getSimpleName() + (c.getId() == null ? "" : " #" + c.getId()));
        if (c instanceof TableView<?> t) {
            s.append(" [");
            for (TableColumn<?, ?> col : t.getVisibleLeafColumns()) {
                s.append(col.getText()).append('=').append(Math.round(col.getWidth())).append(' ');
            }
            s.append(']');
        }
        return s.toString();
    }

    private static void collect(Node n, List<String> out) {
        if (!n.isVisible()) {
            return;
        }
        if (n instanceof Labeled l && l.getWidth() > 0 && Elision.isElided(l)) {
            out.add(l.getClass().getSimpleName() + " '" + l.getText() + "' " + Math.round(l.getWidth()) + " px wide");
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collect(c, out);
            }
        }
    }
}

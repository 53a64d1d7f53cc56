package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.testkit.QemuHolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The main views in both themes, the notice bar and ControlsFX's notification popup log no CSS warning: no parse
 * error, no lookup that does not resolve, no value of the wrong type (ControlsFX's own stylesheets use Modena's
 * lookups, which the AtlantaFX theme lacks; the window stylesheet defines them).
 */
@ExtendWith(ApplicationExtension.class)
class CssWarningsUiTest {
    @TempDir
    static Path dir;
    static Path image;
    /** JUL holds loggers weakly: these references keep the handler on them. */
    private static final Logger ROOT = Logger.getLogger("");
    private static final List<String> WARNINGS = Collections.synchronizedList(new ArrayList<>());
    private static final Handler CATCH = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String m = r.getMessage() == null ? "" : r.getMessage();
            boolean css = r.getLoggerName() != null && r.getLoggerName().startsWith("javafx.css");
            if ((css && r.getLevel().intValue() >= Level.WARNING.intValue()) || m.contains("CSS Error")
                    || m.contains("Could not resolve") || (m.contains("ClassCastException") && m.contains("-fx-"))) {
                WARNINGS.add(r.getLoggerName() + ": " + m);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
        ROOT.addHandler(CATCH);
    }

    @AfterEach
    void themeBack() {
        QcowscopeApp.applyTheme(false);
    }

    @Start
    void start(Stage stage) {
        WARNINGS.clear();
        ui = WindowUi.start(stage, image);
    }

    @Test
    void mainViewsNoticeAndPopupLogNoCssWarningInEitherTheme(FxRobot robot) throws Exception {
        ui.waitForScan();
        for (boolean dark : new boolean[] {false, true}) {
            robot.interact(() -> {
                QcowscopeApp.applyTheme(dark);
                ui.vm.darkThemeProperty().set(dark);
            });
            for (int tab = 0; tab < ui.view.tabs().getTabs().size(); tab++) {
                ui.show(robot, tab);
            }
            robot.interact(() -> ui.view.notices().show("finished: a notice in the " + (dark ? "dark" : "light")
                    + " theme"));
            WindowUi.settle();
            robot.interact(() -> ui.view.notices().hide());
            refusalPopup(robot);
        }
        assertEquals(List.of(), List.copyOf(WARNINGS), "CSS warnings while the views were shown");
    }

    /**
     * Edit mode refused (qemu-io holds the image's write lock): ControlsFX's notification popup says why. The holder is
     * seen in /proc/locks ({@link QemuHolder}), not probed with {@code qemu-img info}: that probe takes QEMU's read-only
     * lock set, which forbids writers, and when it runs while qemu-io opens the image qemu-io can give up ("Failed to
     * get write lock") and exit; Edit then succeeded, no refusal came, and the window stayed in edit mode, so the next
     * theme's Edit was a no-op. The popup of the previous refusal (shown for 8 s) is waited out first, so the new
     * refusal's popup is a window of its own.
     */
    private void refusalPopup(FxRobot robot) throws Exception {
        assertFalse(WaitForAsyncUtils.asyncFx(() -> ui.vm.edit().mode().isEditing()).get(), "read-only before Edit");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> notificationPopups().isEmpty()).get());
        try (QemuHolder holder = QemuHolder.open(image)) {
            int before = WaitForAsyncUtils.asyncFx(() -> Window.getWindows().size()).get();
            robot.interact(() -> ui.vm.edit().mode().enter());
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                    () -> !ui.vm.edit().mode().refusalProperty().get().isEmpty()
                            || ui.vm.edit().mode().isEditing()).get());
            WindowUi.settle();
            String refusal = WaitForAsyncUtils.asyncFx(() -> ui.vm.edit().mode().refusalProperty().get()).get();
            assertFalse(WaitForAsyncUtils.asyncFx(() -> ui.vm.edit().mode().isEditing()).get(),
                    "Edit is refused while qemu-io holds the lock");
            assertTrue(refusal.contains("another process holds QEMU's lock"), refusal);
            assertTrue(WaitForAsyncUtils.asyncFx(() -> Window.getWindows().size()).get() > before,
                    "the refusal shows a notification popup");
            assertEquals(1, WaitForAsyncUtils.asyncFx(() -> notificationPopups().size()).get(),
                    "one notification popup, of this refusal");
        } finally {
            robot.interact(() -> ui.vm.edit().mode().leave());
        }
    }

    /** The showing popups that hold a ControlsFX notification (the window's own notice bar is one too: not counted). */
    private static List<Window> notificationPopups() {
        List<Window> out = new ArrayList<>();
        for (Window w : Window.getWindows()) {
            if (w instanceof javafx.stage.PopupWindow && w.isShowing() && w.getScene() != null && w.getScene().getRoot().lookup(".notification-bar") != null) {
                out.add(w);
            }
        }
        return out;
    }
}

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
 * The main views in both themes, the notice bar and the refusal of Edit in it log no CSS warning: no parse
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
    void mainViewsNoticeAndRefusalLogNoCssWarningInEitherTheme(FxRobot robot) throws Exception {
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
            refusalNotice(robot);
        }
        assertEquals(List.of(), List.copyOf(WARNINGS), "CSS warnings while the views were shown");
    }

    /**
     * Edit mode refused (qemu-io holds the image's write lock): the window's notice bar says why, with the lock icon,
     * and no popup window opens. The holder is seen in /proc/locks ({@link QemuHolder}), not probed with
     * {@code qemu-img info}: that probe takes QEMU's read-only lock set, which forbids writers, and when it runs while
     * qemu-io opens the image qemu-io can give up ("Failed to get write lock") and exit; Edit then succeeded, no refusal
     * came, and the window stayed in edit mode, so the next theme's Edit was a no-op.
     */
    private void refusalNotice(FxRobot robot) throws Exception {
        assertFalse(WaitForAsyncUtils.asyncFx(() -> ui.vm.edit().mode().isEditing()).get(), "read-only before Edit");
        try (QemuHolder holder = QemuHolder.open(image)) {
            robot.interact(() -> ui.vm.edit().mode().enter());
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                    () -> !ui.vm.edit().mode().refusalProperty().get().isEmpty()
                            || ui.vm.edit().mode().isEditing()).get());
            WindowUi.settle();
            String refusal = WaitForAsyncUtils.asyncFx(() -> ui.vm.edit().mode().refusalProperty().get()).get();
            assertFalse(WaitForAsyncUtils.asyncFx(() -> ui.vm.edit().mode().isEditing()).get(),
                    "Edit is refused while qemu-io holds the lock");
            assertTrue(refusal.contains("another process holds QEMU's lock"), refusal);
            assertTrue(WaitForAsyncUtils.asyncFx(() -> ui.view.notices().isShowing()
                    && ui.view.notices().getText().equals(refusal)).get(), "the notice bar shows the refusal");
            assertEquals(1, WaitForAsyncUtils.asyncFx(() -> (int) Window.getWindows().stream()
                    .filter(Window::isShowing).count()).get(), "no popup window besides the main one");
        } finally {
            robot.interact(() -> {
                ui.vm.edit().mode().leave();
                ui.view.notices().hide();
            });
        }
    }
}

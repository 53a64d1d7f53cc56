package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.testkit.Qemu;
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

    /** Edit mode refused (qemu-io holds the image's write lock): ControlsFX's notification popup says why. */
    private void refusalPopup(FxRobot robot) throws Exception {
        Process holder = new ProcessBuilder("qemu-io", "-c", "sleep 60000", image.toString()).redirectErrorStream(true)
                .start();
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Qemu.imgAllowFail(dir, "info", image.toString())
                    .exitCode() != 0);
            int before = Window.getWindows().size();
            robot.interact(() -> ui.vm.edit().mode().enter());
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !ui.vm.edit().mode().refusalProperty().get()
                    .isEmpty());
            WindowUi.settle();
            assertTrue(Window.getWindows().size() > before, "the refusal shows a notification popup");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

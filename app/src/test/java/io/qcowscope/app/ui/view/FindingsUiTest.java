package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.check.Severity;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A leaked cluster made by qemu-io and a patched L2 entry: the overview, findings and host map agree about it. */
@ExtendWith(ApplicationExtension.class)
class FindingsUiTest {
    @TempDir
    static Path dir;
    static Path image;

    MainViewModel vm;
    MainView view;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.withLeak(dir, 7);
    }

    @Start
    void start(Stage stage) {
        QcowscopeApp.applyTheme(false);
        vm = new MainViewModel(new FxTaskExecutor(), RecentFiles.inMemory());
        view = new MainView(vm);
        stage.setScene(WindowScene.create(view, 1280, 800));
        stage.show();
        vm.open(image);
    }

    @Test
    void leakIsListedLinkedAndDrawn(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.layoutReadyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> figures = robot.lookup("#figuresTable").queryAs(TableView.class);
        assertEquals("64 KiB", OverviewUiTest.figure(figures, "leaked"), figures.getItems().toString());
        robot.clickOn("Findings & Repair");
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        TableView<Finding> findings = robot.lookup("#findings").queryAs(TableView.class);
        assertEquals(1, findings.getItems().size());
        Finding leak = findings.getItems().get(0);
        assertEquals(Severity.LEAK, leak.severity());
        robot.interact(() -> findings.getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(leak.hostCluster(), vm.selection().hostClusterProperty().get(), "the finding links to its cluster");
        robot.clickOn("Host layout");
        WaitForAsyncUtils.waitForFxEvents();
        ClusterMapView map = view.hostMapView();
        assertEquals(Palette.hostRoles(false)[HostClusterRole.LEAKED.ordinal()], map.argbAt(leak.hostCluster()));
        robot.clickOn(map.cellCentreOnScreen(0));
        robot.type(KeyCode.RIGHT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, vm.selection().hostClusterProperty().get(), "Right moves the selection to the next cluster");
    }
}

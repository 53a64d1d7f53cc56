package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import javafx.scene.control.Tab;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window's views join the scene a part a pulse (MainView.deferParts): bars, then the shown view, all in the end. */
@ExtendWith(ApplicationExtension.class)
class MainViewPartsUiTest {
    MainView view;

    @Start
    void start(Stage stage) {
        QcowscopeApp.applyTheme(false);
        view = new MainView(new MainViewModel(new FxTaskExecutor(), RecentFiles.inMemory()));
        view.deferParts();
        stage.setScene(WindowScene.create(new StackPane(view), 1024, 700));
        stage.show();
    }

    @Test
    void thePartsHeldBackAttachOneACall() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            Tab shown = view.tabs().getSelectionModel().getSelectedItem();
            assertNull(view.getTop());
            assertNull(view.getBottom());
            assertNull(shown.getContent());
            assertTrue(view.attachNextPart());
            assertNotNull(view.getTop());
            assertNull(view.getBottom());
            assertTrue(view.attachNextPart());
            assertNotNull(view.getBottom());
            assertNull(shown.getContent());
            assertFalse(view.attachNextPart());
            assertNotNull(shown.getContent());
            assertEquals(view.getScene(), shown.getContent().getScene());
            assertFalse(view.attachNextPart());
        }).get();
    }
}

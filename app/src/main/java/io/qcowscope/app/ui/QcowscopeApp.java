package io.qcowscope.app.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.view.MainView;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.PreferencesRecentFiles;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The inspector window: wires the FX task executor, the main view-model and the main view; applies the theme. */
public final class QcowscopeApp extends Application {

    @Override
    public void start(Stage stage) {
        MainViewModel vm = new MainViewModel(new FxTaskExecutor(), new PreferencesRecentFiles());
        applyTheme(vm.darkThemeProperty().get());
        vm.darkThemeProperty().addListener((o, a, b) -> applyTheme(b));
        if (Boolean.getBoolean("qcowscope.log")) {
            vm.statusProperty().addListener((o, a, b) -> System.err.println("qcowscope status: " + b));
            vm.errorProperty().addListener((o, a, b) -> System.err.println("qcowscope error: " + b));
        }
        MainView view = new MainView(vm);
        stage.titleProperty().bind(vm.titleProperty());
        stage.setScene(new Scene(view, 1400, 860));
        stage.show();
        List<String> args = getParameters().getRaw();
        if (args.isEmpty()) {
            vm.openDemo();
        } else {
            vm.open(Path.of(args.get(0)));
        }
    }

    /** Sets AtlantaFX's Primer light or dark user-agent stylesheet. */
    public static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }
}

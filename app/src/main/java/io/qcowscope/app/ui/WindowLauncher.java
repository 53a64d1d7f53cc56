package io.qcowscope.app.ui;

import javafx.application.Application;

/** Starts the JavaFX window; kept apart from {@code Main} so the command line never loads JavaFX. */
public final class WindowLauncher {
    private WindowLauncher() {
    }

    public static void launch(String[] args) {
        JavaFxLogging.quietModuleWarning();
        Application.launch(QcowscopeApp.class, args);
    }
}

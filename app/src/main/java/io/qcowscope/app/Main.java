package io.qcowscope.app;

import io.qcowscope.app.cli.QcowscopeCommand;
import java.util.Set;

/**
 * Entry point of the one jar: a subcommand runs the command line and never starts JavaFX; no argument, or an image path,
 * opens the window. The window class is only loaded on the window path.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && isCommandLine(args[0])) {
            System.exit(QcowscopeCommand.run(args));
            return;
        }
        try {
            Class<?> launcher = Class.forName("io.qcowscope.app.ui.WindowLauncher");
            launcher.getMethod("launch", String[].class).invoke(null, (Object) args);
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("qcowscope: cannot start the window: " + e);
            System.exit(1);
        }
    }

    static boolean isCommandLine(String first) {
        return first.startsWith("-") || QcowscopeCommand.subcommandNames().contains(first);
    }

    static Set<String> commands() {
        return QcowscopeCommand.subcommandNames();
    }
}

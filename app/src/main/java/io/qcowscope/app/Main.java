package io.qcowscope.app;

import io.qcowscope.app.cli.QcowscopeCommand;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.util.List;

/**
 * Entry point of the one jar: a subcommand runs the command line and never starts JavaFX; no argument, or an existing
 * image, opens the window (see {@link Launch} for the rules). The window class is only loaded on the window path.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Launch launch = Launch.decide(List.of(args), QcowscopeCommand.subcommandNames(), System.getenv(),
                System.getProperty("os.name", ""), System.getProperty("glass.platform"), Files::exists);
        switch (launch) {
            case COMMAND_LINE -> System.exit(QcowscopeCommand.run(args));
            case NO_SUCH_FILE -> fail("qcowscope: no such file: " + args[0] + " (the command line: qcowscope --help)");
            case NO_DISPLAY -> fail(Launch.NO_DISPLAY_MESSAGE);
            case WINDOW -> openWindow(args);
        }
    }

    private static void openWindow(String[] args) {
        try {
            Class<?> launcher = Class.forName("io.qcowscope.app.ui.WindowLauncher");
            launcher.getMethod("launch", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            fail("qcowscope: cannot start the window: " + rootMessage(e.getCause()));
        } catch (ReflectiveOperationException | LinkageError e) {
            fail("qcowscope: cannot start the window: " + e);
        }
    }

    /** The innermost cause's message: JavaFX wraps "Unable to open DISPLAY" in several layers. */
    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }
}

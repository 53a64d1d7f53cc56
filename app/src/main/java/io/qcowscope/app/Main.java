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
        // Comparisons, not a switch: an enum switch compiles to a synthetic class that only main loads, so the start-up
        // cache (trained through decide) would miss it and the first start would open the jar just for it.
        Launch launch = decide(args);
        if (launch == Launch.COMMAND_LINE) {
            exit(QcowscopeCommand.run(args));
        } else if (launch == Launch.NO_SUCH_FILE) {
            fail("qcowscope: no such file: " + args[0] + " (the command line: qcowscope --help)");
        } else if (launch == Launch.NO_DISPLAY) {
            fail(Launch.NO_DISPLAY_MESSAGE);
        } else {
            openWindow(args);
        }
    }

    /** What {@code qcowscope ARGS} does here (the training workload asks it too, so the cache holds this path). */
    static Launch decide(String[] args) {
        return Launch.decide(List.of(args), QcowscopeCommand.subcommandNames(), System.getenv(),
                System.getProperty("os.name", ""), System.getProperty("glass.platform"), Files::exists);
    }

    /**
     * Ends a command-line run: flushes the standard streams and halts. {@code System.exit} would first set up the
     * JDK's logging (JDK 21+ looks up the "java.lang.Runtime" logger on every exit), about 50 ms of CPU on a cold JVM,
     * and there are no shutdown hooks on the command-line path to run (the window's demo image files are the window's).
     */
    static void exit(int status) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    private static void openWindow(String[] args) {
        try {
            Class<?> launcher = Class.forName("io.qcowscope.app.ui.WindowLauncher");
            launcher.getMethod("launch", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            windowFailed(rootMessage(e.getCause()));
        } catch (ReflectiveOperationException | LinkageError e) {
            windowFailed(e.toString());
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
        exit(1);
    }

    /** A normal exit (shutdown hooks run): the window may have written its demo image's files, deleted on exit. */
    private static void windowFailed(String reason) {
        System.err.println("qcowscope: cannot start the window: " + reason);
        System.exit(1);
    }
}

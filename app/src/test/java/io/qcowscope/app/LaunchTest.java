package io.qcowscope.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.cli.QcowscopeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code qcowscope ARGS} starts: command line, window, or a clear refusal before any window. */
class LaunchTest {
    private static final Set<String> COMMANDS = QcowscopeCommand.subcommandNames();
    private static final Map<String, String> X11 = Map.of("DISPLAY", ":0");
    private static final Map<String, String> NO_SCREEN = Map.of("HOME", "/root");

    @TempDir
    Path dir;

    private static Launch decide(Map<String, String> env, String... args) {
        return Launch.decide(List.of(args), COMMANDS, env, "Linux", null, p -> p.toString().equals("disk.qcow2"));
    }

    @Test
    void decideRoutesEachFirstWord() {
        assertEquals(Launch.WINDOW, decide(X11));
        assertEquals(Launch.WINDOW, decide(X11, "disk.qcow2"));
        assertEquals(Launch.WINDOW, decide(Map.of("WAYLAND_DISPLAY", "wayland-0"), "disk.qcow2"));
        assertEquals(Launch.COMMAND_LINE, decide(X11, "info", "disk.qcow2"));
        assertEquals(Launch.COMMAND_LINE, decide(X11, "--version"));
        // Neither a subcommand nor an existing file: the command line reports an unknown command.
        assertEquals(Launch.COMMAND_LINE, decide(X11, "chek", "x"));
        assertEquals(Launch.COMMAND_LINE, decide(X11, "rendr", "host", "x.qcow2"));
        assertEquals(Launch.COMMAND_LINE, decide(X11, "chek"));
        assertEquals(Launch.COMMAND_LINE, decide(X11, "disk.qcow2", "extra"));
        assertEquals(Launch.NO_SUCH_FILE, decide(X11, "missing.qcow2"));
        assertEquals(Launch.NO_SUCH_FILE, decide(NO_SCREEN, "vm/disk"));
    }

    @Test
    void decideRefusesTheWindowWithoutADisplay() {
        assertEquals(Launch.NO_DISPLAY, decide(NO_SCREEN, "disk.qcow2"));
        assertEquals(Launch.NO_DISPLAY, decide(Map.of("DISPLAY", " "), "disk.qcow2"));
        assertEquals(Launch.NO_DISPLAY, decide(NO_SCREEN));
        assertEquals(Launch.COMMAND_LINE, decide(NO_SCREEN, "info", "disk.qcow2"));
        assertEquals(Launch.WINDOW, Launch.decide(List.of(), COMMANDS, NO_SCREEN, "Linux", "Monocle", p -> true));
        assertEquals(Launch.WINDOW, Launch.decide(List.of(), COMMANDS, NO_SCREEN, "Windows 11", null, p -> true));
    }

    /** The whole program in a fresh JVM with the given environment changes; returns exit status and both streams. */
    private record Run(int status, String out, String err) {
    }

    private static Run qcowscope(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> copy(p.getErrorStream(), err));
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "qcowscope did not exit");
        t.join();
        return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        try {
            in.transferTo(to);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void noDisplaySaysWhatToDoAndExitsOne() throws Exception {
        Path img = Files.write(dir.resolve("any.qcow2"), new byte[512]);
        Run r = qcowscope(Map.of(), img.toString());
        assertEquals(1, r.status(), r.err());
        assertEquals(Launch.NO_DISPLAY_MESSAGE, r.err().strip());
        assertFalse(r.err().contains("Unsupported JavaFX configuration"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingImageIsNoSuchFileBeforeAnyWindow() throws Exception {
        // A display that does not exist: had the window been tried, JavaFX would fail on it instead.
        Run r = qcowscope(Map.of("DISPLAY", ":97"), dir.resolve("gone.qcow2").toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().startsWith("qcowscope: no such file: " + dir.resolve("gone.qcow2")), r.err());
    }

    @Test
    void unknownFirstWordIsAnUnknownCommandWithASuggestion() throws Exception {
        Run r = qcowscope(Map.of("DISPLAY", ":97"), "chek", "x.qcow2");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("Did you mean: qcowscope check"), r.err());
        Run render = qcowscope(Map.of("DISPLAY", ":97"), "rendr", "host", "x.qcow2");
        assertEquals(2, render.status(), render.err());
        assertTrue(render.err().contains("Did you mean: qcowscope render"), render.err());
    }

    @Test
    void quietModuleWarningDropsOnlyThatWarning() {
        io.qcowscope.app.ui.JavaFxLogging.quietModuleWarning();
        List<String> logged = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger javafx = Logger.getLogger("javafx");
        javafx.addHandler(h);
        try {
            System.Logger fx = System.getLogger("javafx");
            fx.log(System.Logger.Level.WARNING, "Unsupported JavaFX configuration: classes were loaded from 'unnamed'");
            fx.log(System.Logger.Level.WARNING, "some other JavaFX warning");
            javafx.log(Level.WARNING, "Unsupported JavaFX configuration: again");
        } finally {
            javafx.removeHandler(h);
        }
        assertEquals(List.of("some other JavaFX warning"), logged);
    }
}

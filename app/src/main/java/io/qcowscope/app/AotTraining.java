package io.qcowscope.app;

import io.qcowscope.app.cli.QcowscopeCommand;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training workload of the packaged app's start-up cache (packaging/build-packages.sh): the commands people run most,
 * on small images this class writes with the engine, so the JVM records the classes they load (and, on JDK 25, their
 * method profiles) into the AOT cache or the CDS archive that {@code bin/qcowscope} then starts from. Output is
 * discarded; a command that fails makes the training fail, so a broken cache is never shipped.
 */
public final class AotTraining {
    private AotTraining() {
    }

    /**
     * Trains the command line; with {@code --window}, the window instead: it opens on the demo image through
     * {@link Main} as {@code qcowscope} with no argument does, shows each of its views once and quits
     * ({@code io.qcowscope.app.ui.TrainingTour}). That run needs a display and the window's class path.
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals(WINDOW)) {
            window();
            return;
        }
        Path dir = Files.createTempDirectory("qcowscope-training");
        try {
            run(dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static final String WINDOW = "--window";

    /** The window's training: Main's window path with the tour on; ends the JVM when the window has quit. */
    static void window() {
        String[] none = new String[0];
        if (Main.decide(none) != Launch.WINDOW) {
            throw new IllegalStateException("the window cannot open here: " + Main.decide(none));
        }
        System.setProperty("qcowscope.training", "window");
        Main.main(none);
        // the window's executor and JavaFX may leave threads behind; the cache is written as the JVM exits
        System.exit(0);
    }

    static void run(Path dir) {
        String plain = dir.resolve("plain.qcow2").toString();
        String ext = dir.resolve("extended.qcow2").toString();
        String prealloc = dir.resolve("prealloc.qcow2").toString();
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[]{"--version"});
        commands.add(new String[]{"create", plain, "64M"});
        commands.add(new String[]{"write", plain, "0", "--pattern", "0x11", "--length", "1M"});
        commands.add(new String[]{"write", plain, "32M", "--pattern", "0x22", "--length", "256k"});
        commands.add(new String[]{"snapshot", "-c", "s1", plain});
        commands.add(new String[]{"create", "--extended-l2", "--cluster-size", "128k", ext, "64M"});
        commands.add(new String[]{"write", ext, "4k", "--pattern", "0x33", "--length", "8k"});
        commands.add(new String[]{"create", "--preallocation", "metadata", prealloc, "1G"});
        for (String image : List.of(plain, ext, prealloc)) {
            for (String command : List.of("info", "map", "check", "layout")) {
                commands.add(new String[]{command, image});
                commands.add(new String[]{command, "--output=json", image});
            }
        }
        commands.add(new String[]{"check", plain, ext, prealloc});
        commands.add(new String[]{"dump", "l1", plain});
        // Through the real entry path, as bin/qcowscope runs it: Main's decision, then the command line on the standard
        // streams (pointed at nothing meanwhile), so Main, its switch and the output writers are in the cache too.
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(discard);
        System.setErr(discard);
        try {
            for (String[] c : commands) {
                if (Main.decide(c) != Launch.COMMAND_LINE) {
                    throw new IllegalStateException("training command is not a command line: " + String.join(" ", c));
                }
                int status = QcowscopeCommand.run(c);
                if (status != 0) {
                    throw new IllegalStateException("training command failed (exit " + status + "): "
                            + String.join(" ", c));
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}

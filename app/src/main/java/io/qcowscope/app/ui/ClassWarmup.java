package io.qcowscope.app.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Loads the classes the window's views and their skins need on a background thread from the window's start: in a cold
 * JVM, loading and defining about two thousand classes (ours, JavaFX's controls and skins, ControlsFX, Ikonli) was most
 * of the FX thread's first second and more of work on a loaded machine. The names are in {@code warmup-classes.txt}
 * beside this class, one a line, as {@code -Xlog:class+load} listed them while bench/fx-stall.sh ran (regenerate with
 * {@code bench/warmup-classes.sh}); a name that no longer exists is skipped. Classes are loaded, not initialised: their
 * static initialisers still run on the thread that first uses them. The views do not wait for it: what it has loaded
 * when the FX thread needs a class (a tab's skins, shown later) is work the FX thread no longer does.
 */
final class ClassWarmup {
    static final String LIST = "warmup-classes.txt";

    private ClassWarmup() {
    }

    /** Starts loading the listed classes; the future completes when all are loaded (or the list is missing). */
    static CompletableFuture<Integer> start() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            // below the FX thread, which loads what it needs first itself when both want the CPU
            io.qcowscope.app.ui.task.ThreadNice.lowerCurrentThread(4);
            done.complete(loadAll());
        }, "qcowscope-class-warmup");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** Loads every listed class it finds; returns how many it loaded. */
    static int loadAll() {
        ClassLoader loader = ClassWarmup.class.getClassLoader();
        int loaded = 0;
        try (InputStream in = ClassWarmup.class.getResourceAsStream(LIST)) {
            if (in == null) {
                return 0;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                try {
                    Class.forName(name, false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    // renamed or gone since the list was made: the thread that needs it loads what exists
                }
            }
        } catch (IOException e) {
            return loaded;
        }
        return loaded;
    }
}

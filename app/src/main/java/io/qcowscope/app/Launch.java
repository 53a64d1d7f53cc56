package io.qcowscope.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What {@code qcowscope ARGS} does, decided from the arguments and the environment before any JavaFX class loads. The
 * window takes at most one argument, an existing image; anything else is the command line's, which answers an unknown
 * first word with picocli's "did you mean" and exit status 2, like any Unix tool.
 */
enum Launch {
    /** A subcommand, an option, or a first word that is neither a subcommand nor a file. */
    COMMAND_LINE,
    /** The window, on the built-in demo image or on the one image named. */
    WINDOW,
    /** One argument that reads as a path, and no file is there. */
    NO_SUCH_FILE,
    /** The window was asked for, and there is no display to open it on. */
    NO_DISPLAY;

    static final String NO_DISPLAY_MESSAGE = "qcowscope: no display to open the window on (DISPLAY/WAYLAND_DISPLAY not"
            + " set); the command line: qcowscope --help";

    /**
     * @param glassPlatform the {@code glass.platform} system property: Monocle draws without a display (headless tests)
     */
    static Launch decide(List<String> args, Set<String> subcommands, Map<String, String> env, String osName,
            String glassPlatform, Predicate<Path> exists) {
        if (!args.isEmpty()) {
            String first = args.get(0);
            if (first.startsWith("-") || subcommands.contains(first) || args.size() > 1) {
                return COMMAND_LINE;
            }
            if (!exists.test(Path.of(first))) {
                return looksLikePath(first) ? NO_SUCH_FILE : COMMAND_LINE;
            }
        }
        return hasDisplay(env, osName, glassPlatform) ? WINDOW : NO_DISPLAY;
    }

    /** A word with a directory separator or a dot, such as {@code disk.qcow2} or {@code vm/disk}, names a file. */
    private static boolean looksLikePath(String word) {
        return word.contains("/") || word.contains(java.io.File.separator) || word.contains(".");
    }

    /** Windows and macOS always have one; elsewhere GTK needs an X11 or Wayland display named in the environment. */
    static boolean hasDisplay(Map<String, String> env, String osName, String glassPlatform) {
        String os = osName.toLowerCase(java.util.Locale.ROOT);
        if (os.startsWith("windows") || os.startsWith("mac") || "Monocle".equalsIgnoreCase(glassPlatform)) {
            return true;
        }
        return !env.getOrDefault("DISPLAY", "").isBlank() || !env.getOrDefault("WAYLAND_DISPLAY", "").isBlank();
    }
}

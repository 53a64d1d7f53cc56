package io.qcowscope.app.cli;

import io.qcowscope.engine.io.NativeFile;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line: every subcommand works on the same engine as the window. Subcommands are registered lazily: a run
 * builds only the picocli model of the subcommand it names (the full set only for the usage or an unknown name), so
 * start-up does not pay for every command's reflection.
 */
@Command(name = "qcowscope", mixinStandardHelpOptions = true, version = "qcowscope 0.1.0",
        description = {"Inspect, check, write and repair qcow2 disk images.",
            "With no command: qcowscope [IMAGE] opens the window on the image (without IMAGE, on a built-in demo image);"
                    + " it needs a display."})
public final class QcowscopeCommand implements Runnable {
    /** Name to class, in usage order; each class's @Command name is its key (tested). */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();
    /** The root's version options: they need no subcommand. */
    private static final Set<String> VERSION_OPTIONS = Set.of("-V", "--version");
    private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
    private static final String DISABLE_CLOSURES = "picocli.disable.closures";
    /**
     * The subcommands that open their image through the native layer (JNA: allocated size, holes, locks). For these
     * {@link #run(String...)} loads it on a second thread while picocli builds the model, ~35 ms of a cold start.
     */
    private static final Set<String> NATIVE_SUBCOMMANDS = Set.of("info", "map", "write", "zero", "discard", "snapshot");

    static {
        SUBCOMMANDS.put("info", InfoCommand.class);
        SUBCOMMANDS.put("map", MapCommand.class);
        SUBCOMMANDS.put("dump", DumpCommand.class);
        SUBCOMMANDS.put("convert", ConvertCommand.class);
        SUBCOMMANDS.put("check", CheckCommand.class);
        SUBCOMMANDS.put("layout", LayoutCommand.class);
        SUBCOMMANDS.put("render", RenderCommand.class);
        SUBCOMMANDS.put("repair", RepairCommand.class);
        SUBCOMMANDS.put("undo", UndoCommand.class);
        SUBCOMMANDS.put("create", CreateCommand.class);
        SUBCOMMANDS.put("write", WriteCommand.class);
        SUBCOMMANDS.put("zero", ZeroCommand.class);
        SUBCOMMANDS.put("discard", DiscardCommand.class);
        SUBCOMMANDS.put("snapshot", SnapshotCommand.class);
        SUBCOMMANDS.put("bench", BenchCommand.class);
        SUBCOMMANDS.put("bench-map", BenchMapCommand.class);
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        CommandLine cl = spec.commandLine();
        cl.usage(cl.getOut());
    }

    /** All subcommands registered (usage, tests). */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /** Only the subcommand {@code args[0]} names, when it names one; otherwise all of them. */
    static CommandLine commandLine(String... args) {
        // No option takes a java.sql or java.time type: picocli need not load ~100 classes to register their converters.
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, "java\\.sql\\..*,java\\.time\\..*");
        }
        // No annotation holds a Groovy closure: without this picocli looks up groovy.lang.Closure, and the failing
        // lookup opens every jar of the class path (and the manifests' Class-Path entries) on every start.
        if (System.getProperty(DISABLE_CLOSURES) == null) {
            System.setProperty(DISABLE_CLOSURES, "true");
        }
        CommandLine cl = new CommandLine(new QcowscopeCommand());
        cl.setExecutionExceptionHandler(new CliErrors());
        Class<?> only = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (only != null) {
            cl.addSubcommand(args[0], only);
        } else if (!(args.length == 1 && VERSION_OPTIONS.contains(args[0]))) {
            SUBCOMMANDS.forEach(cl::addSubcommand);
        }
        return cl;
    }

    public static int run(String... args) {
        if (args.length > 1 && NATIVE_SUBCOMMANDS.contains(args[0])) {
            Thread preload = new Thread(NativeFile::isNativeAvailable, "qcowscope-native-load");
            preload.setDaemon(true);
            preload.start();
        }
        return commandLine(args).execute(args);
    }

    /** Runs with captured streams (tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    public static Set<String> subcommandNames() {
        return SUBCOMMANDS.keySet();
    }

    /** The class registered for a subcommand name, or null (tests check it against the class's @Command name). */
    static Class<?> subcommandClass(String name) {
        return SUBCOMMANDS.get(name);
    }
}

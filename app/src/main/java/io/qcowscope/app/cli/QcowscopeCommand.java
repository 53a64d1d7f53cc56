package io.qcowscope.app.cli;

import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: every subcommand works on the same engine as the window. */
@Command(name = "qcowscope", mixinStandardHelpOptions = true, version = "qcowscope 0.1.0",
        description = {"Inspect, check, write and repair qcow2 disk images.",
            "With no command: qcowscope [IMAGE] opens the window on the image (without IMAGE, on a built-in demo image);"
                    + " it needs a display."},
        subcommands = {InfoCommand.class, MapCommand.class, DumpCommand.class, ConvertCommand.class, CheckCommand.class,
                LayoutCommand.class, RenderCommand.class, RepairCommand.class, UndoCommand.class, CreateCommand.class, WriteCommand.class,
                ZeroCommand.class, DiscardCommand.class, SnapshotCommand.class, BenchCommand.class,
                BenchMapCommand.class})
public final class QcowscopeCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new QcowscopeCommand());
        cl.setExecutionExceptionHandler(new CliErrors());
        return cl;
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs with captured streams (tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    public static Set<String> subcommandNames() {
        return new CommandLine(new QcowscopeCommand()).getSubcommands().keySet();
    }
}

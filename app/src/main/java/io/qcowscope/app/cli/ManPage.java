package io.qcowscope.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes qcowscope(1), the man page, from the picocli model of the command line, so it always lists the options the
 * program accepts. Run by {@code packaging/build-packages.sh}: {@code java -cp ... io.qcowscope.app.cli.ManPage OUT}.
 */
public final class ManPage {
    private ManPage() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ManPage OUTPUT.1");
            System.exit(2);
        }
        try (Writer w = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)) {
            write(QcowscopeCommand.commandLine(), new PrintWriter(w));
        }
    }

    /** The whole page in roff ({@code man 7 man} macros). */
    public static String render(CommandLine root) {
        StringWriter s = new StringWriter();
        write(root, new PrintWriter(s));
        return s.toString();
    }

    static void write(CommandLine root, PrintWriter out) {
        CommandSpec spec = root.getCommandSpec();
        String version = String.join(" ", spec.version());
        out.println(".TH QCOWSCOPE 1 \"\" \"" + esc(version) + "\" \"User Commands\"");
        out.println(".SH NAME");
        out.println("qcowscope \\- " + esc(spec.usageMessage().description()[0]));
        out.println(".SH SYNOPSIS");
        out.println(".B qcowscope");
        out.println(".RI [ IMAGE ]");
        out.println(".br");
        out.println(".B qcowscope");
        out.println(".I COMMAND");
        out.println(".RI [ OPTIONS ]");
        out.println(".SH DESCRIPTION");
        out.println("With no argument, or with one qcow2 image, qcowscope opens its window: the image's layout, "
                + "tables, refcounts, snapshots, findings and bytes, read-only (with no argument, a built-in demo image). "
                + "It needs a display (DISPLAY or WAYLAND_DISPLAY); without one it says so and exits with status 1.");
        out.println(".PP");
        out.println("With a command, qcowscope works on the command line only; every command also takes "
                + "\\fB\\-\\-help\\fR.");
        out.println(".SH OPTIONS");
        options(spec, out, true);
        out.println(".SH COMMANDS");
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            command(e.getKey(), e.getValue(), out);
        }
        out.println(".SH EXIT STATUS");
        out.println(".TP\n.B 0\nSuccess.");
        out.println(".TP\n.B 1\nAn error: the message on standard error names the file, structure and byte offset. "
                + "For \\fBcheck\\fR: the check itself failed.");
        out.println(".TP\n.B 2\nA usage error (an unknown command or option, with a suggestion). For \\fBcheck\\fR: "
                + "the image has corruptions.");
        out.println(".TP\n.B 3\nFor \\fBcheck\\fR: the image has leaked clusters only.");
        out.println(".SH SEE ALSO");
        out.println(".BR qemu-img (1),");
        out.println(".BR qemu-io (1)");
        out.flush();
    }

    private static void command(String name, CommandLine sub, PrintWriter out) {
        CommandSpec spec = sub.getCommandSpec();
        out.println(".SS " + esc(name));
        Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
        out.println(".nf");
        out.println(esc(help.synopsis(0).strip()));
        out.println(".fi");
        out.println(".PP");
        out.println(esc(String.join(" ", spec.usageMessage().description())));
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden() || p.description().length == 0) {
                continue;
            }
            out.println(".TP");
            out.println(".I " + esc(p.paramLabel()));
            out.println(esc(description(p.description(), p.defaultValue())));
        }
        options(spec, out, false);
    }

    /** The options of one command; {@code --help} and {@code --version} only for the top level. */
    private static void options(CommandSpec spec, PrintWriter out, boolean standard) {
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || (!standard && (o.usageHelp() || o.versionHelp()))) {
                continue;
            }
            out.println(".TP");
            String names = String.join(", ", List.of(o.names()));
            out.println(o.arity().max() > 0 ? ".BI \"" + esc(names) + " \" " + esc(o.paramLabel())
                    : ".B " + esc(names));
            out.println(esc(description(o.description(), o.defaultValue())));
        }
    }

    /** picocli's description lines, with the ${DEFAULT-VALUE} variable filled in. */
    private static String description(String[] lines, String defaultValue) {
        String d = String.join(" ", lines);
        return d.replace("${DEFAULT-VALUE}", defaultValue == null ? "" : defaultValue);
    }

    /** Escapes text for roff: backslashes, minus signs, and a leading dot or quote that would read as a request. */
    static String esc(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        if (t.startsWith(".") || t.startsWith("'")) {
            t = "\\&" + t;
        }
        return t.replace("\n.", "\n\\&.");
    }
}

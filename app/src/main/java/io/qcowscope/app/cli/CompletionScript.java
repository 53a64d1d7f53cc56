package io.qcowscope.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * Writes the bash completion script from the full picocli model. The subcommands are registered at run time (only the
 * one a run names is built), so picocli's own {@code AutoComplete} main, which reads the class annotations, would see
 * none. Run by {@code packaging/build-packages.sh}: {@code java -cp ... io.qcowscope.app.cli.CompletionScript OUT}.
 */
public final class CompletionScript {
    private CompletionScript() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CompletionScript OUTPUT.bash");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), script(), StandardCharsets.UTF_8);
    }

    /** The bash completion script for {@code qcowscope} and every subcommand. */
    public static String script() {
        return AutoComplete.bash("qcowscope", QcowscopeCommand.commandLine());
    }
}

package io.qcowscope.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and captures what it prints. */
public final class Cli {
    private Cli() {
    }

    public record Run(int exitCode, String stdout, String stderr) {
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            code = QcowscopeCommand.run(o, e, args);
        }
        return new Run(code, out.toString(), err.toString());
    }
}

package io.qcowscope.app.cli;

import io.qcowscope.engine.format.Qcow2Exception;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns any failure into one clear line on stderr and exit code 1: never a stack trace for a bad image. */
final class CliErrors implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        cl.getErr().println("qcowscope: " + describe(ex));
        cl.getErr().flush();
        return 1;
    }

    static String describe(Throwable ex) {
        if (ex instanceof Qcow2Exception || ex instanceof IOException) {
            return ex.getMessage();
        }
        if (ex instanceof IllegalArgumentException) {
            return ex.getMessage();
        }
        return "internal error: " + ex;
    }
}

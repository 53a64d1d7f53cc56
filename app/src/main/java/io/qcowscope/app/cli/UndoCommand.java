package io.qcowscope.app.cli;

import io.qcowscope.engine.io.ImageLocks;
import io.qcowscope.engine.repair.UndoJournal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code qcowscope undo --journal FILE}: puts an in-place repair back, bit for bit. */
@Command(name = "undo", mixinStandardHelpOptions = true, description = "Undo an in-place repair from its journal.")
public final class UndoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--journal", required = true, paramLabel = "FILE")
    Path journal;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        UndoJournal j = UndoJournal.read(journal);
        try (ImageLocks locks = ImageLocks.acquireForWriting(j.image())) {
            j.undo();
        }
        out.println("restored " + j.image() + ": " + j.regions().size() + " regions, length " + j.originalLength());
        out.flush();
        return 0;
    }
}

package io.qcowscope.app.cli;

import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.write.WritableImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code qcowscope snapshot -c|-d|-a NAME IMAGE} and {@code snapshot -l IMAGE}, as qemu-img snapshot. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Create, delete, apply or list internal snapshots.")
public final class SnapshotCommand implements Callable<Integer> {
    static final class Action {
        @Option(names = "-c", paramLabel = "NAME", description = "Create a snapshot.")
        String create;

        @Option(names = "-d", paramLabel = "NAME", description = "Delete a snapshot (name or id).")
        String delete;

        @Option(names = "-a", paramLabel = "NAME", description = "Revert the disk to a snapshot (name or id).")
        String apply;

        @Option(names = "-l", description = "List snapshots.")
        boolean list;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    @Mixin
    ImageOptions imageOptions;

    @Parameters(paramLabel = "IMAGE")
    Path image;

    @Override
    public Integer call() throws Exception {
        if (action.list) {
            try (Qcow2Image img = Qcow2Image.open(image, imageOptions.openOptions().withBackingChain(false))) {
                print(spec.commandLine().getOut(), img.snapshots());
            }
            return 0;
        }
        try (WritableImage w = WritableImage.open(image, imageOptions.openOptions())) {
            if (action.create != null) {
                w.snapshotManager().create(action.create);
            } else if (action.delete != null) {
                w.snapshotManager().delete(action.delete);
            } else {
                w.snapshotManager().revert(action.apply);
            }
        }
        return 0;
    }

    private static void print(PrintWriter out, List<SnapshotEntry> list) {
        if (list.isEmpty()) {
            out.flush();
            return;
        }
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
        out.println("Snapshot list:");
        out.printf("%-4s %-20s %12s %20s%n", "ID", "TAG", "VM SIZE", "DATE");
        for (SnapshotEntry s : list) {
            out.printf("%-4s %-20s %12s %20s%n", s.id(), s.name(), Sizes.human(s.vmStateSize()),
                    f.format(Instant.ofEpochSecond(s.dateSec())));
        }
        out.flush();
    }
}

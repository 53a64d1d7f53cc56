package io.qcowscope.app.cli;

import io.qcowscope.engine.write.WritableImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code qcowscope discard IMAGE OFFSET LENGTH}: qemu-io's {@code discard}. */
@Command(name = "discard", mixinStandardHelpOptions = true, description = "Discard whole clusters of a guest range.")
public final class DiscardCommand implements Callable<Integer> {
    @Mixin
    ImageOptions imageOptions;

    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Parameters(index = "1", paramLabel = "OFFSET")
    String offset;

    @Parameters(index = "2", paramLabel = "LENGTH")
    String length;

    @Override
    public Integer call() throws Exception {
        try (WritableImage w = WritableImage.open(image, imageOptions.openOptions())) {
            w.discard(BenchCommand.parse(offset), BenchCommand.parse(length));
        }
        return 0;
    }
}

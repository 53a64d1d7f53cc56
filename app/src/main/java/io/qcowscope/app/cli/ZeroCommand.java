package io.qcowscope.app.cli;

import io.qcowscope.engine.write.WritableImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qcowscope zero IMAGE OFFSET LENGTH [--unmap]}: qemu-io's {@code write -z [-u]}. */
@Command(name = "zero", mixinStandardHelpOptions = true, description = "Make a guest range read as zeros.")
public final class ZeroCommand implements Callable<Integer> {
    @Option(names = "--unmap", description = "Free the host clusters of whole zeroed clusters.")
    boolean unmap;

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
            w.writeZeroes(BenchCommand.parse(offset), BenchCommand.parse(length), unmap);
        }
        return 0;
    }
}

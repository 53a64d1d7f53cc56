package io.qcowscope.app.cli;

import io.qcowscope.engine.write.WritableImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qcowscope write IMAGE OFFSET (--pattern BYTE --length N | --from FILE)}. */
@Command(name = "write", mixinStandardHelpOptions = true,
        description = "Write guest data (refuses an image another process uses).")
public final class WriteCommand implements Callable<Integer> {
    static final class Source {
        @ArgGroup(exclusive = false)
        Pattern pattern;

        @Option(names = "--from", paramLabel = "FILE", description = "Write the bytes of this file.")
        Path from;
    }

    static final class Pattern {
        @Option(names = "--pattern", required = true, paramLabel = "BYTE", description = "Fill byte, e.g. 0xa5.")
        String pattern;

        @Option(names = "--length", required = true, paramLabel = "N", description = "Bytes, e.g. 4k.")
        String length;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin
    ImageOptions imageOptions;

    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Parameters(index = "1", paramLabel = "OFFSET")
    String offset;

    @Override
    public Integer call() throws Exception {
        byte[] data;
        if (source.from != null) {
            data = Files.readAllBytes(source.from);
        } else {
            data = new byte[(int) BenchCommand.parse(source.pattern.length)];
            Arrays.fill(data, (byte) Integer.decode(source.pattern.pattern).intValue());
        }
        try (WritableImage w = WritableImage.open(image, imageOptions.openOptions())) {
            w.write(BenchCommand.parse(offset), data);
        }
        return 0;
    }
}

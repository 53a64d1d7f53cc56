package io.qcowscope.app.cli;

import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.GuestMapper;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qcowscope convert -O raw}: the guest content through the chain, ranges that read as zero left sparse. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Write the guest content of an image to a raw file.")
public final class ConvertCommand implements Callable<Integer> {
    private static final int CHUNK = 1 << 20;

    @Option(names = "-O", required = true, description = "Output format (only raw).")
    String outputFormat;

    @Mixin
    ImageOptions imageOptions;

    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Parameters(index = "1", paramLabel = "OUT")
    Path target;

    @Override
    public Integer call() throws Exception {
        if (!"raw".equals(outputFormat)) {
            throw new IllegalArgumentException("only -O raw is supported");
        }
        try (Qcow2Image img = imageOptions.open(image);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            convert(img, out);
        }
        return 0;
    }

    static void convert(Qcow2Image img, FileChannel out) throws IOException {
        byte[] buf = new byte[CHUNK];
        GuestMapper.map(img, 0, img.virtualSize(), e -> {
            if (e.zero() && !e.data()) {
                return;
            }
            long pos = e.start();
            while (pos < e.end()) {
                int n = (int) Math.min(CHUNK, e.end() - pos);
                img.read(pos, buf, 0, n);
                if (!allZero(buf, n)) {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    long p = pos;
                    while (bb.hasRemaining()) {
                        p += out.write(bb, p);
                    }
                }
                pos += n;
            }
        }, ProgressMonitor.NONE);
        out.truncate(img.virtualSize());
        if (out.size() < img.virtualSize()) {
            out.write(ByteBuffer.wrap(new byte[1]), img.virtualSize() - 1);
        }
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

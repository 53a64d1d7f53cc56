package io.qcowscope.app.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The built-in demo image. For now it is made by {@code packaging/make-demo-image.sh} with qemu-img/qemu-io and shipped
 * gzip-compressed; once the engine's writer exists this class makes it on the fly instead, behind the same method.
 */
public final class DemoImage {
    private static final String[] FILES = {"base.qcow2", "demo.qcow2"};

    private DemoImage() {
    }

    /** Writes the demo image and its backing file into a new temporary folder; returns the top image. */
    public static Path create() throws IOException {
        Path dir = Files.createTempDirectory("qcowscope-demo");
        for (String f : FILES) {
            try (InputStream in = DemoImage.class.getResourceAsStream("/io/qcowscope/app/demo/" + f + ".gz")) {
                if (in == null) {
                    throw new IOException("demo resource missing: " + f);
                }
                try (InputStream gz = new GZIPInputStream(in)) {
                    Files.copy(gz, dir.resolve(f));
                }
            }
            dir.resolve(f).toFile().deleteOnExit();
        }
        dir.toFile().deleteOnExit();
        return dir.resolve("demo.qcow2");
    }

}

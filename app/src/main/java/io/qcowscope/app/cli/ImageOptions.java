package io.qcowscope.app.cli;

import io.qcowscope.engine.image.FileTrustPolicy;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** How a command may follow the backing and data files an image names (the trust gate, spec section 8). */
public final class ImageOptions {

    @Option(names = "--allow-file", paramLabel = "PATH",
            description = "Allow opening this backing or data file even outside the image's directory (repeatable).")
    List<Path> allowed = new ArrayList<>();

    @Option(names = "--follow-any-backing",
            description = "Follow backing and data files anywhere on this machine (json: and protocol specs are still refused).")
    boolean followAny;

    @Option(names = "--no-backing", description = "Do not open backing or data files at all.")
    boolean noBacking;

    @Option(names = "--probe-backing-format",
            description = "Guess the format of a backing file the image does not name a format for.")
    boolean probe;

    public OpenOptions openOptions() {
        FileTrustPolicy policy = FileTrustPolicy.of(followAny ? FileTrustPolicy.Scope.ANY_LOCAL_PATH
                : FileTrustPolicy.Scope.IMAGE_DIRECTORY).allowing(new HashSet<>(allowed));
        return OpenOptions.readOnly().withTrust(policy).withBackingChain(!noBacking).withProbeBackingFormat(probe);
    }

    public Qcow2Image open(Path image) throws IOException {
        return Qcow2Image.open(image, openOptions());
    }
}

package io.qcowscope.engine.bench;

import io.qcowscope.engine.io.NativeFile;
import java.io.IOException;
import java.nio.file.Path;

/** The host's allocated size of a file (st_blocks * 512), or -1 where the native layer cannot tell. */
final class HostFiles {
    private HostFiles() {
    }

    static long allocatedBytes(Path file) {
        try (NativeFile f = NativeFile.open(file, false)) {
            return f.allocatedBytes();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

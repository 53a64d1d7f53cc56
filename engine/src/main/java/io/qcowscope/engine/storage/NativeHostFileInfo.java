package io.qcowscope.engine.storage;

import io.qcowscope.engine.io.NativeFile;
import java.io.IOException;
import java.nio.file.Path;

/** {@link HostFileInfo} over a native descriptor (SEEK_DATA/SEEK_HOLE, fstat); the all-data fallback elsewhere. */
final class NativeHostFileInfo implements HostFileInfo {
    private final NativeFile file;

    private NativeHostFileInfo(NativeFile file) {
        this.file = file;
    }

    static HostFileInfo tryOpen(Path path) {
        if (!NativeFile.isNativeAvailable()) {
            return HostFileInfo.ALL_DATA;
        }
        try {
            return new NativeHostFileInfo(NativeFile.open(path, false));
        } catch (IOException | RuntimeException | LinkageError e) {
            return HostFileInfo.ALL_DATA;
        }
    }

    @Override
    public long nextData(long position, long size) throws IOException {
        if (position >= size) {
            return -1;
        }
        return file.seekData(position);
    }

    @Override
    public long nextHole(long position, long size) throws IOException {
        if (position >= size) {
            return position;
        }
        long h = file.seekHole(position);
        return h < 0 ? size : Math.min(h, size);
    }

    @Override
    public long allocatedBytes(long size) throws IOException {
        return file.allocatedBytes();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

package io.qcowscope.engine.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Facts about a host file that pure Java cannot see: holes (SEEK_DATA/SEEK_HOLE) and allocated bytes (st_blocks). QEMU's
 * {@code map} and {@code info} report them, so we need them to agree with it. Falls back to "all data" where the platform
 * cannot tell.
 */
public interface HostFileInfo extends Closeable {

    long nextData(long position, long size) throws IOException;

    long nextHole(long position, long size) throws IOException;

    long allocatedBytes(long size) throws IOException;

    @Override
    void close() throws IOException;

    static HostFileInfo open(Path path) {
        return NativeHostFileInfo.tryOpen(path);
    }

    /** The fallback: the whole file is data. */
    HostFileInfo ALL_DATA = new HostFileInfo() {
        @Override
        public long nextData(long position, long size) {
            return position < size ? position : -1;
        }

        @Override
        public long nextHole(long position, long size) {
            return Math.max(position, size);
        }

        @Override
        public long allocatedBytes(long size) {
            return size;
        }

        @Override
        public void close() {
        }
    };
}

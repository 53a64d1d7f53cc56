package io.qcowscope.engine.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * What {@link NativeFile} delegates to: {@link NativeBackend} (libc through JNA) or
 * {@link JavaBackend} (pure-Java fallback). Method contracts are documented on {@link NativeFile}.
 */
interface FileBackend extends Closeable {

    long seekData(long pos) throws IOException;

    long seekHole(long pos) throws IOException;

    long allocatedBytes() throws IOException;

    long size() throws IOException;

    boolean punchHole(long offset, long length) throws IOException;

    boolean lockShared(long byteOffset) throws IOException;

    void unlock(long byteOffset) throws IOException;

    boolean isLockedByOthers(long byteOffset) throws IOException;
}

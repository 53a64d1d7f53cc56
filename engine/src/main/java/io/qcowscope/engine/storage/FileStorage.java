package io.qcowscope.engine.storage;

import io.qcowscope.engine.io.NativeFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A host file. Opened read-only unless asked otherwise; read-only opens never modify the file. Hole queries go through
 * {@link HostFileInfo} when the platform offers them.
 */
public final class FileStorage implements Storage {
    private final Path path;
    private final FileChannel channel;
    private final boolean writable;
    /** Opened on first use: loading the native library costs ~200 ms that a check or a plain read does not need. */
    private HostFileInfo hostInfo;
    /** A second, writable native descriptor for punching holes; its OFD locks (none) are its own. */
    private NativeFile punchFile;

    private FileStorage(Path path, FileChannel channel, boolean writable) {
        this.path = path;
        this.channel = channel;
        this.writable = writable;
    }

    private synchronized HostFileInfo hostInfo() {
        if (hostInfo == null) {
            hostInfo = HostFileInfo.open(path);
        }
        return hostInfo;
    }

    public static FileStorage openReadOnly(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        return new FileStorage(path, ch, false);
    }

    public static FileStorage openReadWrite(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new FileStorage(path, ch, true);
    }

    public static FileStorage create(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW);
        return new FileStorage(path, ch, true);
    }

    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void read(long position, byte[] dst, int offset, int length) throws IOException {
        Storage.checkRange(this, position, length);
        ByteBuffer buf = ByteBuffer.wrap(dst, offset, length);
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                Arrays.fill(dst, buf.position(), offset + length, (byte) 0);
                return;
            }
            pos += n;
        }
    }

    /** One positional read per call into {@code dst} (no JDK bounce buffer when it is direct); past the end zeros. */
    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        Storage.checkRange(this, position, dst.remaining());
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                ZeroFill.fill(dst, dst.position(), dst.limit());
                dst.position(dst.limit());
                return;
            }
            pos += n;
        }
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
        Storage.checkRange(this, position, length);
        if (!writable) {
            throw new IOException(path + " is open read-only");
        }
        ByteBuffer buf = ByteBuffer.wrap(src, offset, length);
        long pos = position;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
    }

    /** One positional write per call from {@code src} (no JDK bounce buffer when it is direct). */
    @Override
    public void write(long position, ByteBuffer src) throws IOException {
        Storage.checkRange(this, position, src.remaining());
        if (!writable) {
            throw new IOException(path + " is open read-only");
        }
        long pos = position;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
    }

    @Override
    public void truncate(long size) throws IOException {
        if (!writable) {
            throw new IOException(path + " is open read-only");
        }
        long cur = channel.size();
        if (size < cur) {
            channel.truncate(size);
        } else if (size > cur) {
            // FileChannel cannot extend without writing; one zero byte at the new end leaves a sparse hole.
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public long nextData(long position) throws IOException {
        return hostInfo().nextData(position, size());
    }

    @Override
    public long nextHole(long position) throws IOException {
        return hostInfo().nextHole(position, size());
    }

    @Override
    public synchronized boolean punchHole(long position, long length) throws IOException {
        if (!writable || !NativeFile.isNativeAvailable()) {
            return false; // the pure-Java fallback's POSIX locks would drop when a second channel closed
        }
        if (punchFile == null) {
            punchFile = NativeFile.open(path, true);
        }
        return punchFile.punchHole(position, length);
    }

    @Override
    public long allocatedBytes() throws IOException {
        return hostInfo().allocatedBytes(size());
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            synchronized (this) {
                try {
                    if (hostInfo != null) {
                        hostInfo.close();
                    }
                } finally {
                    if (punchFile != null) {
                        punchFile.close();
                    }
                }
            }
        }
    }
}

package io.qcowscope.engine.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@link FileBackend} on a raw libc file descriptor. Locks are Linux open-file-description
 * (OFD) locks, owned by this descriptor alone and independent of any {@code FileChannel} or
 * other descriptor on the same file, also within this JVM (qcow2-spec.md section 7).
 */
final class NativeBackend implements FileBackend {

    private static final int ENOENT = 2;

    private final LibC libc;
    private final int fd;
    private final Path path;
    /** Set once lseek reports that the file system lacks SEEK_DATA/SEEK_HOLE. */
    private boolean seekUnsupported;
    /** Set once {@code fstat} proves missing (glibc &lt; 2.33). */
    private boolean useFxstat;

    private NativeBackend(LibC libc, int fd, Path path) {
        this.libc = libc;
        this.fd = fd;
        this.path = path;
    }

    static NativeBackend open(LibC libc, Path path, boolean writable) throws IOException {
        Path abs = path.toAbsolutePath();
        int flags = (writable ? LibC.O_RDWR : LibC.O_RDONLY) | LibC.O_CLOEXEC;
        try {
            return new NativeBackend(libc, libc.open(cString(abs), flags, 0), abs);
        } catch (LastErrorException e) {
            switch (e.getErrorCode()) {
                case ENOENT: throw new NoSuchFileException(abs.toString());
                case LibC.EACCES: throw new AccessDeniedException(abs.toString());
                default: throw error("open", abs, e);
            }
        }
    }

    @Override
    public long seekData(long pos) throws IOException {
        return seek(pos, LibC.SEEK_DATA);
    }

    @Override
    public long seekHole(long pos) throws IOException {
        return seek(pos, LibC.SEEK_HOLE);
    }

    private long seek(long pos, int whence) throws IOException {
        if (!seekUnsupported) {
            try {
                return libc.lseek(fd, pos, whence);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == LibC.ENXIO) {
                    return -1;
                }
                if (errno != LibC.EINVAL && errno != LibC.EOPNOTSUPP) {
                    throw error(whence == LibC.SEEK_DATA ? "lseek(SEEK_DATA)" : "lseek(SEEK_HOLE)", path, e);
                }
                seekUnsupported = true;
            }
        }
        long size = size();
        if (pos >= size) {
            return -1;
        }
        return whence == LibC.SEEK_DATA ? pos : size;
    }

    @Override
    public long allocatedBytes() throws IOException {
        return stat().getLong(LibC.STAT_BLOCKS) * 512L;
    }

    @Override
    public long size() throws IOException {
        return stat().getLong(LibC.STAT_SIZE);
    }

    private Memory stat() throws IOException {
        Memory buf = new Memory(LibC.STAT_BUF_SIZE);
        buf.clear();
        try {
            if (!useFxstat) {
                try {
                    libc.fstat(fd, buf);
                    return buf;
                } catch (UnsatisfiedLinkError e) {
                    useFxstat = true;
                }
            }
            libc.__fxstat(LibC.statVersion(), fd, buf);
            return buf;
        } catch (LastErrorException e) {
            throw error("fstat", path, e);
        }
    }

    /** {@code fallocate(PUNCH_HOLE | KEEP_SIZE)}, as QEMU's file driver discards; false where the file system cannot. */
    @Override
    public boolean punchHole(long offset, long length) throws IOException {
        try {
            libc.fallocate(fd, LibC.FALLOC_FL_PUNCH_HOLE | LibC.FALLOC_FL_KEEP_SIZE, offset, length);
            return true;
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == LibC.EOPNOTSUPP || errno == LibC.ENOSYS) {
                return false;
            }
            throw error("fallocate(PUNCH_HOLE)", path, e);
        }
    }

    @Override
    public boolean lockShared(long byteOffset) throws IOException {
        return setLock(LibC.F_RDLCK, byteOffset, "lock");
    }

    @Override
    public void unlock(long byteOffset) throws IOException {
        setLock(LibC.F_UNLCK, byteOffset, "unlock");
    }

    private boolean setLock(short type, long byteOffset, String what) throws IOException {
        try {
            libc.fcntl(fd, LibC.F_OFD_SETLK, flock(type, byteOffset));
            return true;
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == LibC.EAGAIN || errno == LibC.EACCES) {
                return false;
            }
            throw error("fcntl(F_OFD_SETLK) " + what + " byte " + byteOffset, path, e);
        }
    }

    @Override
    public boolean isLockedByOthers(long byteOffset) throws IOException {
        Memory fl = flock(LibC.F_WRLCK, byteOffset);
        try {
            libc.fcntl(fd, LibC.F_OFD_GETLK, fl);
        } catch (LastErrorException e) {
            throw error("fcntl(F_OFD_GETLK) byte " + byteOffset, path, e);
        }
        return fl.getShort(LibC.FLOCK_TYPE) != LibC.F_UNLCK;
    }

    /** A {@code struct flock} for one byte at {@code start}; {@code l_pid} must be 0 for OFD locks. */
    private static Memory flock(short type, long start) {
        Memory fl = new Memory(LibC.FLOCK_SIZE);
        fl.clear();
        fl.setShort(LibC.FLOCK_TYPE, type);
        fl.setShort(LibC.FLOCK_WHENCE, LibC.SEEK_SET);
        fl.setLong(LibC.FLOCK_START, start);
        fl.setLong(LibC.FLOCK_LEN, 1);
        fl.setInt(LibC.FLOCK_PID, 0);
        return fl;
    }

    @Override
    public void close() throws IOException {
        try {
            libc.close(fd); // never retried on EINTR: Linux frees the fd regardless
        } catch (LastErrorException e) {
            throw error("close", path, e);
        }
    }

    private static byte[] cString(Path path) {
        String enc = System.getProperty("sun.jnu.encoding");
        Charset cs = enc != null && Charset.isSupported(enc) ? Charset.forName(enc) : Charset.defaultCharset();
        byte[] s = path.toString().getBytes(cs);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return z;
    }

    private static IOException error(String call, Path path, LastErrorException e) {
        return new IOException(call + " failed for " + path + ": errno " + e.getMessage(), e);
    }
}

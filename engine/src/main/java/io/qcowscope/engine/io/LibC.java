package io.qcowscope.engine.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The handful of libc calls used by {@link NativeBackend}, mapped with JNA, plus the Linux
 * constants and struct offsets they need.
 *
 * <p>All constants and offsets are identical on Linux x86_64 and aarch64 (both LP64 with a
 * 64-bit {@code off_t}); {@link #load()} refuses any other platform. The variadic
 * {@code open} and {@code fcntl} are mapped with fixed trailing arguments, which is ABI-correct
 * on both architectures for integer/pointer arguments.
 */
interface LibC extends Library {

    int O_RDONLY = 0;
    int O_RDWR = 2;
    int O_CLOEXEC = 0x80000; // 02000000 octal

    int SEEK_DATA = 3;
    int SEEK_HOLE = 4;

    int F_OFD_GETLK = 36;
    int F_OFD_SETLK = 37;
    short F_RDLCK = 0;
    short F_WRLCK = 1;
    short F_UNLCK = 2;
    short SEEK_SET = 0;

    int EAGAIN = 11;
    int EACCES = 13;
    int ENXIO = 6;
    int EINVAL = 22;
    int EOPNOTSUPP = 95;
    int ENOSYS = 38;

    /** {@code fallocate} modes: keep the file size, deallocate the range (reads back as zeros). */
    int FALLOC_FL_KEEP_SIZE = 1;
    int FALLOC_FL_PUNCH_HOLE = 2;

    /** {@code struct flock}: short l_type @0, short l_whence @2, off_t l_start @8, off_t l_len @16, pid_t l_pid @24. */
    int FLOCK_SIZE = 32;
    int FLOCK_TYPE = 0;
    int FLOCK_WHENCE = 2;
    int FLOCK_START = 8;
    int FLOCK_LEN = 16;
    int FLOCK_PID = 24;

    /** {@code struct stat} is 144 bytes on x86_64, 128 on aarch64; st_size @48, st_blocks @64 on both. */
    int STAT_BUF_SIZE = 256;
    int STAT_SIZE = 48;
    int STAT_BLOCKS = 64;

    int open(byte[] path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    long lseek(int fd, long offset, int whence) throws LastErrorException;

    int fcntl(int fd, int cmd, Pointer arg) throws LastErrorException;

    int fallocate(int fd, int mode, long offset, long len) throws LastErrorException;

    /** Exported since glibc 2.33. */
    int fstat(int fd, Pointer buf) throws LastErrorException;

    /** Pre-2.33 glibc entry point behind {@code fstat}; {@code ver} is 1 on x86_64, 0 on aarch64. */
    int __fxstat(int ver, int fd, Pointer buf) throws LastErrorException;

    /** {@code _STAT_VER} for {@link #__fxstat}. */
    static int statVersion() {
        return Platform.isARM() ? 0 : 1;
    }

    /**
     * Loads libc, or throws if the platform is not Linux x86_64/aarch64 or JNA cannot load.
     *
     * @throws UnsupportedOperationException on an unsupported platform
     * @throws UnsatisfiedLinkError if the native library cannot be loaded
     */
    static LibC load() {
        boolean supportedArch = Platform.isIntel() || Platform.isARM();
        if (!Platform.isLinux() || !Platform.is64Bit() || !supportedArch) {
            throw new UnsupportedOperationException(
                    "native file layer supports Linux x86_64/aarch64 only, not " + Platform.ARCH);
        }
        skipLdconfigScan();
        try {
            // The soname itself: dlopen finds it without a search (glibc's libc.so is a linker script, and the bare
            // name "c" makes JNA look through every library directory).
            return Native.load(GLIBC_SONAME, LibC.class);
        } catch (UnsatisfiedLinkError e) {
            return Native.load(Platform.C_LIBRARY_NAME, LibC.class);
        }
    }

    /** glibc's soname on x86_64 and aarch64. */
    String GLIBC_SONAME = "libc.so.6";

    /** JNA's property: the platform's library directories; when unset, JNA's first use runs {@code ldconfig -p}. */
    String PLATFORM_PATH_PROPERTY = "jna.platform.library.path";

    /** The multiarch and plain library directories JNA would list first anyway. */
    String[] LIBRARY_DIRECTORIES = {"/usr/lib/%s-linux-gnu", "/lib/%s-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib",
        "/lib"};

    /**
     * JNA's NativeLibrary, when {@value #PLATFORM_PATH_PROPERTY} is unset, forks {@code /sbin/ldconfig -p} on Linux
     * to learn the library directories: a process spawn on every start (0.05 s idle, several tenths under load), for a
     * search that loading libc by its soname never makes. Setting the property to the usual directories skips it.
     */
    static void skipLdconfigScan() {
        if (System.getProperty(PLATFORM_PATH_PROPERTY) != null) {
            return;
        }
        String arch = Platform.isARM() ? "aarch64" : "x86_64";
        StringBuilder path = new StringBuilder();
        for (String d : LIBRARY_DIRECTORIES) {
            String dir = d.replace("%s", arch);
            if (new java.io.File(dir).isDirectory()) {
                path.append(path.length() == 0 ? "" : java.io.File.pathSeparator).append(dir);
            }
        }
        System.setProperty(PLATFORM_PATH_PROPERTY, path.toString());
    }
}

package io.qcowscope.app.ui.task;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Lowers the OS scheduling priority of the calling thread. Java's {@link Thread#setPriority} is ignored on Linux (unless
 * the JVM runs with -XX:ThreadPriorityPolicy=1), so a background scan competes with the FX thread as an equal; a Linux
 * thread is its own task, and raising its nice value (allowed to any user) makes the FX thread and the user's other
 * programs win the CPU. Anywhere else, or when libc cannot be reached, it leaves the thread as it is.
 */
public final class ThreadNice {
    /** {@code setpriority(2)}'s "which" for one process, or one thread when "who" is a thread id (Linux). */
    private static final int PRIO_PROCESS = 0;

    private interface CLib extends Library {
        int gettid();

        int setpriority(int which, int who, int prio);

        int getpriority(int which, int who);
    }

    private static final CLib LIBC = load();

    private ThreadNice() {
    }

    private static CLib load() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return Native.load("c", CLib.class);
        } catch (LinkageError e) {
            return null;
        }
    }

    /** Sets the calling thread's nice value to {@code nice} (0..19, higher yields more); true when the OS took it. */
    public static boolean lowerCurrentThread(int nice) {
        if (LIBC == null) {
            return false;
        }
        try {
            return LIBC.setpriority(PRIO_PROCESS, LIBC.gettid(), Math.max(0, Math.min(19, nice))) == 0;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** The calling thread's nice value, or 0 when it cannot be read. */
    public static int currentNice() {
        if (LIBC == null) {
            return 0;
        }
        try {
            return LIBC.getpriority(PRIO_PROCESS, LIBC.gettid());
        } catch (LinkageError | RuntimeException e) {
            return 0;
        }
    }
}

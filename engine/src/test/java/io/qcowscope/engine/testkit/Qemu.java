package io.qcowscope.engine.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs qemu-img and qemu-io, the test oracle. Every call has a timeout and fails loudly. */
public final class Qemu {
    private Qemu() {
    }

    /** The outcome of one tool run. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    /**
     * Fails the calling test when qemu-img or qemu-io is missing: the oracle is part of the suite, and a suite that
     * skipped it would be green while testing nothing.
     */
    public static void requireInstalled() {
        if (!available() || !ioAvailable()) {
            throw new AssertionError("qemu-img and qemu-io are needed by this test (the QEMU oracle): "
                    + "install the Debian package qemu-utils (apt-get install qemu-utils)");
        }
    }

    private static volatile Boolean ioAvailable;

    private static boolean ioAvailable() {
        Boolean known = ioAvailable;
        if (known == null) {
            boolean ok;
            try {
                ok = run(null, 30, "qemu-io", "--version").exitCode() == 0;
            } catch (RuntimeException e) {
                ok = false;
            }
            ioAvailable = known = ok;
        }
        return known;
    }

    public static boolean available() {
        try {
            return run(null, 30, "qemu-img", "--version").exitCode() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs {@code qemu-img args...} in {@code dir}; must succeed. */
    public static Result img(Path dir, String... args) {
        return run(dir, 600, prepend("qemu-img", args)).requireSuccess();
    }

    /** Runs {@code qemu-img args...} in {@code dir}, whatever its exit code. */
    public static Result imgAllowFail(Path dir, String... args) {
        return run(dir, 600, prepend("qemu-img", args));
    }

    /** Runs {@code qemu-io} with one {@code -c} per command on {@code image}; must succeed and print no error. */
    public static Result io(Path dir, String image, String... commands) {
        return io(dir, List.of(), image, commands);
    }

    public static Result io(Path dir, List<String> options, String image, String... commands) {
        List<String> cmd = new ArrayList<>();
        cmd.add("qemu-io");
        cmd.addAll(options);
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(image);
        Result r = run(dir, 600, cmd.toArray(new String[0])).requireSuccess();
        if (r.stdout().contains("error") || r.stdout().contains("failed") || !r.stderr().isBlank()) {
            throw new AssertionError("qemu-io reported a problem: " + r.stdout() + r.stderr());
        }
        return r;
    }

    /**
     * qemu-img times its LUKS PBKDF iterations with the thread's CPU clock and gives up with this message when one
     * timing round reads 0 ms (crypto/pbkdf.c in QEMU 7.2); there is no option to pass a fixed count, so the run is
     * tried again.
     */
    private static final String PBKDF_TIMING_FAILURE = "Unable to get accurate CPU usage";
    private static final int PBKDF_TRIES = 8;

    public static Result run(Path dir, int timeoutSeconds, String... cmd) {
        Result r = runOnce(dir, timeoutSeconds, cmd);
        for (int i = 1; i < PBKDF_TRIES && r.exitCode() != 0 && r.stderr().contains(PBKDF_TIMING_FAILURE); i++) {
            r = runOnce(dir, timeoutSeconds, cmd);
        }
        return r;
    }

    private static Result runOnce(Path dir, int timeoutSeconds, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread t1 = pump(p.getInputStream(), out);
            Thread t2 = pump(p.getErrorStream(), err);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + Arrays.toString(cmd));
            }
            t1.join();
            t2.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + Arrays.toString(cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}

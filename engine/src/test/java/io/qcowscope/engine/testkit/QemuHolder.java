package io.qcowscope.engine.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A qemu-io process that keeps an image open read-write (reading its commands from a pipe) and so holds QEMU's
 * permission locks on it, as a running VM would; closing it sends {@code quit}.
 */
public final class QemuHolder implements AutoCloseable {
    private final Process process;

    private QemuHolder(Process process) {
        this.process = process;
    }

    /** Starts qemu-io on {@code image} and waits until its write lock (byte 101) shows in /proc/locks. */
    public static QemuHolder open(Path image) throws Exception {
        Process p = new ProcessBuilder("qemu-io", image.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitForLock(p, image);
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
        return new QemuHolder(p);
    }

    /** Waits until process {@code p}'s write lock on byte 101 of {@code image} shows in /proc/locks. */
    public static void waitForLock(Process p, Path image) throws Exception {
        long ino = ((Number) Files.getAttribute(image, "unix:ino")).longValue();
        for (int i = 0; i < 100; i++) {
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                // The kernel merges neighbouring locks into one range ("100 101").
                String[] f = line.trim().split("\\s+");
                if (line.contains("OFDLCK") && f.length >= 3 && f[f.length - 3].endsWith(":" + ino)
                        && !f[f.length - 1].equals("EOF") && Long.parseLong(f[f.length - 2]) <= 101
                        && Long.parseLong(f[f.length - 1]) >= 101) {
                    return;
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError("qemu-io exited with " + p.exitValue() + " before taking its locks");
            }
            Thread.sleep(100);
        }
        throw new AssertionError("qemu-io (pid " + p.pid() + ") did not take its locks");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try (OutputStream in = process.getOutputStream()) {
            in.write("quit\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // it exited already
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}

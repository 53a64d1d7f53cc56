package io.qcowscope.engine.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a row of {@link RandomWriteWorkload} through QEMU: {@code qemu-img create}, then {@code qemu-io -t writeback} with
 * the workload's commands on stdin. Host bytes are qemu-io's {@code wchar} as its parent shell sees it in /proc, minus
 * what qemu-io printed. The copy-on-write bytes are not known for QEMU (-1).
 */
public final class QemuIoRunner {
    /** The workload's commands in the work directory. */
    public static final String SCRIPT = "writes.qemu-io";

    private QemuIoRunner() {
    }

    /** Whether qemu-img and qemu-io are on the PATH. */
    public static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        boolean img = false;
        boolean io = false;
        for (String d : path.split(File.pathSeparator)) {
            img |= Files.isExecutable(Path.of(d, "qemu-img"));
            io |= Files.isExecutable(Path.of(d, "qemu-io"));
        }
        return img && io;
    }

    /** Runs the row in {@code dir}, where {@link RandomWriteWorkload#writeQemuIoScript} wrote {@link #SCRIPT}. */
    public static RandomWriteWorkload.Measurement runRow(Path dir, RandomWriteWorkload work,
            RandomWriteWorkload.Configuration c) throws IOException, InterruptedException {
        Path image = dir.resolve("qemu.qcow2");
        List<String> create = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-o",
                "cluster_size=" + c.clusterSize() + ",extended_l2=" + (c.extendedL2() ? "on" : "off")));
        if (c.backing()) {
            create.addAll(List.of("-b", RandomWriteWorkload.BACKING_FILE, "-F", "raw"));
        }
        create.addAll(List.of(image.getFileName().toString(), Long.toString(work.virtualSize())));
        run(dir, create);
        Path log = dir.resolve("qemu-io.out");
        try {
            long t0 = System.nanoTime();
            String io = run(dir, List.of("sh", "-c", "qemu-io -t writeback -f qcow2 qemu.qcow2 < " + SCRIPT
                    + " > qemu-io.out 2>&1; cat /proc/$$/io"));
            double secs = (System.nanoTime() - t0) / 1e9;
            long wchar = -1;
            for (String line : io.split("\n")) {
                if (line.startsWith("wchar:")) {
                    wchar = Long.parseLong(line.substring(6).trim()) - Files.size(log);
                }
            }
            return new RandomWriteWorkload.Measurement(Files.size(image), HostFiles.allocatedBytes(image), wchar, -1,
                    c.l2CoverageBytes(work.virtualSize()), secs, work.writes());
        } finally {
            Files.deleteIfExists(image);
            Files.deleteIfExists(log);
        }
    }

    private static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + s.trim());
        }
        return s;
    }
}

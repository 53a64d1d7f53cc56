package io.qcowscope.app.cli;

import io.qcowscope.engine.bench.RandomWriteWorkload;
import io.qcowscope.engine.io.NativeFile;
import io.qcowscope.engine.write.CreateOptions;
import io.qcowscope.engine.write.ImageCreator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code qcowscope bench}: the seed talk's experiment. Random 4 KiB writes (fixed seed) into an empty image, with and
 * without a backing file, for each cluster size, with and without extended L2, through our engine and through qemu-io
 * ({@code -t writeback}, commands on stdin) in the same run. Host bytes for QEMU are the {@code wchar} of qemu-io as its
 * parent shell sees it in /proc, minus what qemu-io printed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Random-write benchmark of our engine against QEMU (the subcluster-allocation talk's table).")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--virtual-size", defaultValue = "40G", description = "Disk size (default ${DEFAULT-VALUE}).")
    String virtualSize;

    @Option(names = "--total", defaultValue = "100M", description = "Bytes written (default ${DEFAULT-VALUE}).")
    String total;

    @Option(names = "--write-size", defaultValue = "4k", description = "Size of each write (default ${DEFAULT-VALUE}).")
    String writeSize;

    @Option(names = "--seed", defaultValue = "2020")
    long seed;

    @Option(names = "--cluster-sizes", split = ",", defaultValue = "64k,128k,256k,512k,1M,2M")
    List<String> clusterSizes;

    @Option(names = "--backing", split = ",", arity = "1", defaultValue = "false,true",
            description = "Rows without and/or with a backing file (default ${DEFAULT-VALUE}).")
    List<Boolean> backing;

    @Option(names = "--extended-l2", split = ",", arity = "1", defaultValue = "false,true")
    List<Boolean> extendedL2;

    @Option(names = "--no-qemu", description = "Only run our engine.")
    boolean noQemu;

    @Option(names = "--dir", description = "Work directory (default: a temporary one, removed afterwards).")
    Path dir;

    @Option(names = "--output", defaultValue = "human", description = "human (a markdown table) or json")
    OutputFormat output;

    record Row(String clusterSize, boolean backing, boolean extL2, Map<String, Object> ours, Map<String, Object> qemu) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RandomWriteWorkload work = new RandomWriteWorkload(parse(virtualSize), parse(total), (int) parse(writeSize),
                seed, (byte) 0xa5);
        boolean temp = dir == null;
        Path d = temp ? Files.createTempDirectory("qcowscope-bench") : Files.createDirectories(dir);
        List<Row> rows = new ArrayList<>();
        try {
            Path script = d.resolve("writes.qemu-io");
            work.writeQemuIoScript(script);
            Path base = d.resolve("base.raw");
            try (var ch = java.nio.channels.FileChannel.open(base, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.wrap(new byte[1]), work.virtualSize() - 1); // sparse, reads as data to QEMU
            }
            for (boolean b : backing) {
                for (String cs : clusterSizes) {
                    for (boolean ext : extendedL2) {
                        rows.add(runRow(work, d, script, cs, b, ext));
                        if (output == OutputFormat.human) {
                            spec.commandLine().getErr().println("done: " + describe(rows.get(rows.size() - 1)));
                            spec.commandLine().getErr().flush();
                        }
                    }
                }
            }
            Files.deleteIfExists(base);
            Files.deleteIfExists(script);
        } finally {
            if (temp) {
                deleteTree(d);
            }
        }
        if (output == OutputFormat.json) {
            List<Object> list = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("cluster-size", r.clusterSize());
                m.put("backing", r.backing());
                m.put("extended-l2", r.extL2());
                m.put("qcowscope", r.ours());
                if (r.qemu() != null) {
                    m.put("qemu", r.qemu());
                }
                list.add(m);
            }
            out.println(Json.pretty(list));
        } else {
            printTable(out, work, rows);
        }
        out.flush();
        return 0;
    }

    private Row runRow(RandomWriteWorkload work, Path d, Path script, String cs, boolean b, boolean ext)
            throws IOException, InterruptedException {
        CreateOptions o = CreateOptions.of(work.virtualSize()).withClusterSize(parse(cs)).withExtendedL2(ext);
        if (b) {
            o = o.withBacking("base.raw", "raw");
        }
        Path ours = d.resolve("ours.qcow2");
        ImageCreator.create(ours, o);
        RandomWriteWorkload.Result r = work.runOn(ours);
        Map<String, Object> om = measure(ours, r.seconds(), r.writes(), r.hostBytesWritten());
        Files.delete(ours);
        Map<String, Object> qm = null;
        if (!noQemu) {
            Path theirs = d.resolve("qemu.qcow2");
            List<String> create = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-o",
                    "cluster_size=" + parse(cs) + ",extended_l2=" + (ext ? "on" : "off")));
            if (b) {
                create.addAll(List.of("-b", "base.raw", "-F", "raw"));
            }
            create.addAll(List.of(theirs.toString(), Long.toString(work.virtualSize())));
            run(d, create);
            Path log = d.resolve("qemu-io.out");
            long t0 = System.nanoTime();
            String io = run(d, List.of("sh", "-c", "qemu-io -t writeback -f qcow2 qemu.qcow2 < writes.qemu-io"
                    + " > qemu-io.out 2>&1; cat /proc/$$/io"));
            double secs = (System.nanoTime() - t0) / 1e9;
            long wchar = -1;
            for (String line : io.split("\n")) {
                if (line.startsWith("wchar:")) {
                    wchar = Long.parseLong(line.substring(6).trim()) - Files.size(log);
                }
            }
            qm = measure(theirs, secs, work.writes(), wchar);
            Files.delete(theirs);
            Files.deleteIfExists(log);
        }
        return new Row(cs, b, ext, om, qm);
    }

    private static Map<String, Object> measure(Path image, double secs, int writes, long hostBytes) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image-size", Files.size(image));
        long allocated = -1;
        try (NativeFile f = NativeFile.open(image, false)) {
            allocated = f.allocatedBytes();
        } catch (IOException | RuntimeException e) {
            // allocated size unknown on this platform
        }
        m.put("allocated-size", allocated);
        m.put("host-bytes-written", hostBytes);
        m.put("seconds", Math.round(secs * 1000) / 1000.0);
        m.put("writes-per-second", Math.round(writes / secs));
        return m;
    }

    private static String run(Path d, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + s.trim());
        }
        return s;
    }

    private static String describe(Row r) {
        return r.clusterSize() + (r.extL2() ? " ext-L2" : "") + (r.backing() ? " backing" : "");
    }

    private static void printTable(PrintWriter out, RandomWriteWorkload w, List<Row> rows) {
        out.printf(Locale.ROOT, "%d random %d-byte writes (seed %d) into an empty %s image; QEMU = qemu-io -t writeback%n%n",
                w.writes(), w.writeSize(), w.seed(), Sizes.human(w.virtualSize()));
        out.println("| backing | cluster | ext-L2 | writes/s ours | writes/s QEMU | ratio | image size ours | image size QEMU "
                + "| size ratio | allocated ours | allocated QEMU | host bytes ours | host bytes QEMU |");
        out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            Map<String, Object> o = r.ours();
            Map<String, Object> q = r.qemu();
            String qw = q == null ? "-" : q.get("writes-per-second").toString();
            String ratio = q == null ? "-" : String.format(Locale.ROOT, "%.2f",
                    ((Number) o.get("writes-per-second")).doubleValue() / ((Number) q.get("writes-per-second")).doubleValue());
            String sizeRatio = q == null ? "-" : String.format(Locale.ROOT, "%.4f",
                    ((Number) o.get("image-size")).doubleValue() / ((Number) q.get("image-size")).doubleValue());
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.backing() ? "yes" : "no", r.clusterSize(), r.extL2() ? "on" : "off", o.get("writes-per-second"), qw,
                    ratio, Sizes.human((Long) o.get("image-size")),
                    q == null ? "-" : Sizes.human((Long) q.get("image-size")), sizeRatio,
                    Sizes.human((Long) o.get("allocated-size")),
                    q == null ? "-" : Sizes.human((Long) q.get("allocated-size")),
                    Sizes.human((Long) o.get("host-bytes-written")),
                    q == null ? "-" : Sizes.human((Long) q.get("host-bytes-written")));
        }
    }

    /** Sizes and offsets as {@link io.qcowscope.app.units.SizeParser} reads them (4k, 1M, 0x10000). */
    static long parse(String s) {
        return io.qcowscope.app.units.SizeParser.parse(s);
    }

    private static void deleteTree(Path d) throws IOException {
        try (var s = Files.walk(d)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

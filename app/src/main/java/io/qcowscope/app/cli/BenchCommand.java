package io.qcowscope.app.cli;

import io.qcowscope.engine.bench.FreshProcessWriter;
import io.qcowscope.engine.bench.QemuIoRunner;
import io.qcowscope.engine.bench.RandomWriteWorkload;
import io.qcowscope.engine.bench.ScratchImages;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.io.PrintWriter;
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
 * ({@link QemuIoRunner}) in the same run. Each row is the engine's {@link RandomWriteWorkload#runRow}, the same code the
 * window's subcluster lab runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Random-write benchmark of our engine against QEMU (the subcluster-allocation talk's table).",
                "writes/s QEMU: a fresh qemu-io -t writeback process per row, timed whole (start, open, writes, flush,"
                        + " exit); qemu-img create is not timed.",
                "writes/s ours, --method fresh-process (default): the same, a fresh JVM of this build per row timed"
                        + " whole (JVM start and JIT warm-up included): this java, no JVM options, -cp this class path,"
                        + " io.qcowscope.engine.bench.RandomWriteProcess; the image is made beforehand by our engine,"
                        + " untimed.",
                "writes/s ours, --method warm: in this JVM after one untimed warm-up row, timed from open to the"
                        + " flushed close (the window's lab figures); QEMU cannot be warmed, so this favours us."})
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

    /** How our rows are timed (see the description). */
    enum Method { fresh_process, warm }

    @Option(names = "--method", defaultValue = "fresh-process", converter = MethodConverter.class,
            description = "fresh-process (default) or warm: how our rows are timed (see above).")
    Method method;

    static final class MethodConverter implements picocli.CommandLine.ITypeConverter<Method> {
        @Override
        public Method convert(String v) {
            return Method.valueOf(v.replace('-', '_'));
        }
    }

    @Option(names = "--backing-data", description = {"Write the backing file in full (0x5a) before the rows, untimed,"
            + " so that every copy-on-write region is copied from data by both engines. The default backing file is a"
            + " hole but for its last byte: QEMU reads and writes its zeros, we leave them holes (same file size and"
            + " offsets), so the backing rows then measure less work on our side. Takes --virtual-size bytes of disk:"
            + " use it with a smaller --virtual-size."})
    boolean backingData;

    @Option(names = "--runs", defaultValue = "1", description = {"Runs of each row (default ${DEFAULT-VALUE}): ours"
            + " then QEMU's, one after the other, N times; writes/s is each engine's median run (on a loaded machine"
            + " one run is noisy)."})
    int runs;

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
            Path script = d.resolve(QemuIoRunner.SCRIPT);
            work.writeQemuIoScript(script);
            Path base = backingData ? work.createDataBackingFile(d) : work.createBackingFile(d);
            RandomWriteWorkload.RowWriter writer = method == Method.warm ? RandomWriteWorkload.RowWriter.IN_PROCESS
                    : new FreshProcessWriter();
            if (method == Method.warm) {
                // the warm-up row: the first configuration once, untimed, so no row pays the JIT's start
                work.runRow(d, new RandomWriteWorkload.Configuration(parse(clusterSizes.get(0)), extendedL2.get(0),
                        backing.get(0)), ProgressMonitor.NONE);
            }
            try (ScratchImages images = new ScratchImages(d)) {
                for (boolean b : backing) {
                    for (String cs : clusterSizes) {
                        for (boolean ext : extendedL2) {
                            rows.add(runRow(work, d, cs, b, ext, writer, images));
                            if (output == OutputFormat.human) {
                                spec.commandLine().getErr().println("done: " + describe(rows.get(rows.size() - 1)));
                                spec.commandLine().getErr().flush();
                            }
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

    private Row runRow(RandomWriteWorkload work, Path d, String cs, boolean b, boolean ext,
            RandomWriteWorkload.RowWriter writer, ScratchImages images) throws IOException, InterruptedException {
        RandomWriteWorkload.Configuration c = new RandomWriteWorkload.Configuration(parse(cs), ext, b);
        List<RandomWriteWorkload.Measurement> ours = new ArrayList<>();
        List<RandomWriteWorkload.Measurement> qemu = new ArrayList<>();
        for (int i = 0; i < Math.max(1, runs); i++) {
            ours.add(work.runRow(d, c, ProgressMonitor.NONE, writer, images));
            if (!noQemu) {
                qemu.add(QemuIoRunner.runRow(d, work, c));
            }
        }
        return new Row(cs, b, ext, median(ours), noQemu ? null : median(qemu));
    }

    /** The run with the median writes/s (the lower middle one of an even count), every run's writes/s beside it. */
    private static Map<String, Object> median(List<RandomWriteWorkload.Measurement> runs) {
        List<RandomWriteWorkload.Measurement> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(RandomWriteWorkload.Measurement::writesPerSecond));
        Map<String, Object> m = measure(sorted.get((sorted.size() - 1) / 2));
        if (runs.size() > 1) {
            List<Long> each = new ArrayList<>();
            for (RandomWriteWorkload.Measurement r : runs) {
                each.add(Math.round(r.writesPerSecond()));
            }
            m.put("writes-per-second-runs", each);
        }
        return m;
    }

    private static Map<String, Object> measure(RandomWriteWorkload.Measurement r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image-size", r.imageSize());
        m.put("allocated-size", r.allocatedSize());
        m.put("host-bytes-written", r.hostBytesWritten());
        m.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        m.put("writes-per-second", Math.round(r.writesPerSecond()));
        if (r.cowBytes() >= 0) {
            m.put("cow-bytes", r.cowBytes());
        }
        return m;
    }

    private static String describe(Row r) {
        return r.clusterSize() + (r.extL2() ? " ext-L2" : "") + (r.backing() ? " backing" : "");
    }

    private void printTable(PrintWriter out, RandomWriteWorkload w, List<Row> rows) {
        out.printf(Locale.ROOT, "%d random %d-byte writes (seed %d) into an empty %s image; QEMU = qemu-io -t writeback"
                + " (a fresh process per row, timed whole); ours: %s; backing file: %s%s%n%n", w.writes(), w.writeSize(),
                w.seed(), Sizes.human(w.virtualSize()), method == Method.warm ? "this JVM after a warm-up row, open to"
                        + " close" : "a fresh JVM per row, timed whole", backingData ? "data throughout"
                        : "a hole but for its last byte", runs > 1 ? "; writes/s: medians of " + runs + " runs" : "");
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

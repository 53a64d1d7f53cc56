package io.qcowscope.app.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code qcowscope bench-map}: times {@code qcowscope map --output=json} against {@code qemu-img map --output=json} on a
 * 1 TiB {@code preallocation=metadata} image (64 KiB clusters, 16 million L2 entries), whole process, side by side.
 */
@Command(name = "bench-map", mixinStandardHelpOptions = true,
        description = "Benchmark map against qemu-img map on a 1 TiB preallocated image.")
public final class BenchMapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", defaultValue = "bench-work", description = "Where the (sparse) image is made.")
    Path dir;

    @Option(names = "--size", defaultValue = "1T", description = "Virtual size (qemu-img syntax).")
    String size;

    @Option(names = "--runs", defaultValue = "5", description = "Runs of each tool.")
    int runs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(dir);
        Path image = dir.resolve("prealloc-" + size + ".qcow2");
        if (!Files.exists(image)) {
            out.println("creating " + image + " (qemu-img create -o preallocation=metadata) ...");
            out.flush();
            run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-o", "preallocation=metadata,cluster_size=64k",
                    image.toString(), size));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> ours = List.of(java, "-cp", System.getProperty("java.class.path"), "io.qcowscope.app.Main", "map",
                "--output=json", image.toString());
        List<String> theirs = List.of("qemu-img", "map", "--output=json", image.toString());
        // One warm-up each (page cache), then alternate so both see the same machine state.
        run(theirs);
        run(ours);
        double[] q = new double[runs];
        double[] o = new double[runs];
        for (int i = 0; i < runs; i++) {
            q[i] = run(theirs);
            o[i] = run(ours);
        }
        Arrays.sort(q);
        Arrays.sort(o);
        double qm = q[runs / 2];
        double om = o[runs / 2];
        out.printf(Locale.ROOT, "image: %s (%s, 64 KiB clusters, preallocation=metadata)%n", image, size);
        out.printf(Locale.ROOT, "qemu-img map --output=json : median %.3f s  (min %.3f, max %.3f)%n", qm, q[0],
                q[runs - 1]);
        out.printf(Locale.ROOT, "qcowscope map --output=json: median %.3f s  (min %.3f, max %.3f)%n", om, o[0],
                o[runs - 1]);
        out.printf(Locale.ROOT, "ratio qcowscope/qemu-img   : %.2f (below 1 = faster than qemu-img)%n", om / qm);
        out.flush();
        return 0;
    }

    /** Runs a whole process with its output discarded; returns wall seconds. */
    static double run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
        pb.redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        long t0 = System.nanoTime();
        Process p = pb.start();
        int code = p.waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IOException(cmd.get(0) + " exited with " + code);
        }
        return s;
    }
}

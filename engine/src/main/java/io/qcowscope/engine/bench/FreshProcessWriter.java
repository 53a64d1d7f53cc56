package io.qcowscope.engine.bench;

import io.qcowscope.engine.task.CancelledException;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the writes of a row in a fresh JVM ({@link RandomWriteProcess}, same runtime and class path as this one) and
 * times the whole process, JVM start and JIT warm-up included, exactly as qemu-io is timed ({@link QemuIoRunner}).
 */
public final class FreshProcessWriter implements RandomWriteWorkload.RowWriter {
    private final List<String> javaCommand;

    /** The command that starts {@link RandomWriteProcess} with this JVM's runtime and class path. */
    public FreshProcessWriter() {
        this(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RandomWriteProcess.class.getName()));
    }

    FreshProcessWriter(List<String> javaCommand) {
        this.javaCommand = List.copyOf(javaCommand);
    }

    @Override
    public RandomWriteWorkload.Result write(RandomWriteWorkload w, Path image, ProgressMonitor monitor)
            throws IOException {
        monitor.checkCancelled();
        List<String> cmd = new ArrayList<>(javaCommand);
        cmd.addAll(List.of(image.toString(), Long.toString(w.virtualSize()), Long.toString(w.totalBytes()),
                Integer.toString(w.writeSize()), Long.toString(w.seed()), Integer.toString(w.pattern() & 0xFF)));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String[] f = out.split("\\s+");
        if (rc != 0 || f.length != 2) {
            throw new IOException("the engine's write process failed (exit " + rc + "): " + out);
        }
        monitor.progress(w.writes(), w.writes());
        return new RandomWriteWorkload.Result(secs, w.writes(), Long.parseLong(f[0]), Long.parseLong(f[1]));
    }
}

package io.qcowscope.engine.write;

import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of the crash test: applies {@link CrashOps} from a seed to an image forever, printing
 * {@code F n} after each flush that made the first {@code n} operations durable. Killed with SIGKILL by the parent.
 */
public final class CrashWriterMain {
    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int perFlush = Integer.parseInt(args[2]);
        Random r = new Random(seed);
        try (WritableImage w = WritableImage.open(image)) {
            long disk = w.virtualSize();
            long cs = w.geometry().clusterSize();
            System.out.println("R");
            System.out.flush();
            for (int n = 1; ; n++) {
                CrashOps.next(r, disk, cs).applyTo(w);
                if (n % perFlush == 0) {
                    w.flush();
                    System.out.println("F " + n);
                    System.out.flush();
                }
            }
        }
    }
}

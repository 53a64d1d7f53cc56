package io.qcowscope.engine.bench;

import java.nio.file.Path;

/**
 * The engine side of one {@code bench} row as its own process, like qemu-io: opens an image made beforehand, runs the
 * workload's writes and the final flush ({@link RandomWriteWorkload#runOn}) and prints
 * {@code hostBytesWritten cowBytes} on one line. {@link FreshProcessWriter} starts it and times the whole process.
 * Arguments: image virtualSize totalBytes writeSize seed pattern.
 */
public final class RandomWriteProcess {
    private RandomWriteProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: RandomWriteProcess IMAGE VIRTUAL_SIZE TOTAL WRITE_SIZE SEED PATTERN");
            System.exit(2);
        }
        RandomWriteWorkload w = new RandomWriteWorkload(Long.parseLong(args[1]), Long.parseLong(args[2]),
                Integer.parseInt(args[3]), Long.parseLong(args[4]), (byte) Integer.parseInt(args[5]));
        RandomWriteWorkload.Result r = w.runOn(Path.of(args[0]));
        System.out.println(r.hostBytesWritten() + " " + r.cowBytes());
    }
}

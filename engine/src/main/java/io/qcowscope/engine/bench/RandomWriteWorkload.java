package io.qcowscope.engine.bench;

import io.qcowscope.engine.write.WritableImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seed talk's workload: {@code totalBytes} of random, aligned {@code writeSize} writes (fixed seed) over a disk of
 * {@code virtualSize} bytes. The same offsets drive our engine and, as a qemu-io command file, QEMU.
 */
public record RandomWriteWorkload(long virtualSize, long totalBytes, int writeSize, long seed, byte pattern) {

    public static RandomWriteWorkload seedTalk() {
        return new RandomWriteWorkload(40L << 30, 100L << 20, 4096, 2020, (byte) 0xa5);
    }

    public int writes() {
        return (int) (totalBytes / writeSize);
    }

    public long[] offsets() {
        SplittableRandom r = new SplittableRandom(seed);
        long slots = virtualSize / writeSize;
        long[] out = new long[writes()];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextLong(slots) * writeSize;
        }
        return out;
    }

    /** qemu-io commands, one write per line, for {@code qemu-io IMAGE < file}. */
    public void writeQemuIoScript(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            String p = "write -P 0x" + Integer.toHexString(pattern & 0xFF) + " ";
            for (long off : offsets()) {
                w.write(p + off + " " + writeSize + "\n");
            }
        }
    }

    /** What one run measured. */
    public record Result(double seconds, int writes, long hostBytesWritten) {
        public double writesPerSecond() {
            return writes / seconds;
        }
    }

    /** Opens, writes every offset and closes (which flushes), timing all of it. */
    public Result runOn(Path image) throws IOException {
        long[] offsets = offsets();
        byte[] data = new byte[writeSize];
        Arrays.fill(data, pattern);
        long t0 = System.nanoTime();
        long written;
        try (WritableImage w = WritableImage.open(image)) {
            for (long off : offsets) {
                w.write(off, data);
            }
            w.flush();
            written = w.hostBytesWritten();
        }
        return new Result((System.nanoTime() - t0) / 1e9, offsets.length, written);
    }
}

package io.qcowscope.engine.bench;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.write.CreateOptions;
import io.qcowscope.engine.write.ImageCreator;
import io.qcowscope.engine.write.WritableImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seed talk's workload: {@code totalBytes} of random, aligned {@code writeSize} writes (fixed seed) over a disk of
 * {@code virtualSize} bytes. The same offsets drive our engine and, as a qemu-io command file, QEMU. {@code qcowscope
 * bench} and the window's subcluster lab both run their rows through {@link #runRow}, so their figures agree for one
 * seed.
 */
public record RandomWriteWorkload(long virtualSize, long totalBytes, int writeSize, long seed, byte pattern) {
    /** The raw backing file of rows with a backing file, in the work directory. */
    public static final String BACKING_FILE = "base.raw";
    /** Progress is reported (and cancellation checked) every this many writes. */
    private static final int PROGRESS_EVERY = 256;

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
    public record Result(double seconds, int writes, long hostBytesWritten, long cowBytes) {
        public double writesPerSecond() {
            return writes / seconds;
        }
    }

    /** Opens, writes every offset and closes (which flushes), timing all of it. */
    public Result runOn(Path image) throws IOException {
        return runOn(image, ProgressMonitor.NONE);
    }

    /**
     * As {@link #runOn(Path)}, reporting writes done and stopping with {@link io.qcowscope.engine.task.CancelledException}
     * when asked.
     */
    public Result runOn(Path image, ProgressMonitor monitor) throws IOException {
        long[] offsets = offsets();
        byte[] data = new byte[writeSize];
        Arrays.fill(data, pattern);
        long t0 = System.nanoTime();
        long written;
        long cow;
        try (WritableImage w = WritableImage.open(image)) {
            for (int i = 0; i < offsets.length; i++) {
                if (i % PROGRESS_EVERY == 0) {
                    monitor.checkCancelled();
                    monitor.progress(i, offsets.length);
                }
                w.write(offsets[i], data);
            }
            w.flush();
            written = w.hostBytesWritten();
            cow = w.cowBytesWritten();
        }
        monitor.progress(offsets.length, offsets.length);
        return new Result((System.nanoTime() - t0) / 1e9, offsets.length, written, cow);
    }

    /**
     * How a row's writes run on the image made for it: {@link #IN_PROCESS} (this JVM, timed from open to the flushed
     * close; the lab window's way) or a {@link FreshProcessWriter} (a new JVM timed whole, as qemu-io is).
     */
    @FunctionalInterface
    public interface RowWriter {
        RowWriter IN_PROCESS = (w, image, monitor) -> w.runOn(image, monitor);

        Result write(RandomWriteWorkload w, Path image, ProgressMonitor monitor) throws IOException;
    }

    /** One row of the experiment: a cluster size, standard or extended L2, with or without the raw backing file. */
    public record Configuration(long clusterSize, boolean extendedL2, boolean backing) {
        /** L2 tables needed to map the whole disk: what QEMU's L2 cache must hold for full coverage. */
        public long l2CoverageBytes(long virtualSize) {
            Geometry g = new Geometry(Long.numberOfTrailingZeros(clusterSize), extendedL2, 4);
            return g.clustersFor(virtualSize) * g.l2EntrySize();
        }
    }

    /** What a row measured; {@code cowBytes} is -1 where unknown (QEMU), {@code allocatedSize} -1 where unknown. */
    public record Measurement(long imageSize, long allocatedSize, long hostBytesWritten, long cowBytes,
            long l2CoverageBytes, double seconds, int writes) {
        public double writesPerSecond() {
            return writes / seconds;
        }
    }

    /** Makes the sparse raw backing file in {@code dir} (its last byte written, so QEMU reads it all as data). */
    public Path createBackingFile(Path dir) throws IOException {
        Path base = dir.resolve(BACKING_FILE);
        try (FileChannel ch = FileChannel.open(base, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(new byte[1]), virtualSize - 1);
        }
        return base;
    }

    /** The byte a data backing file ({@link #createDataBackingFile}) is filled with. */
    public static final byte BACKING_DATA = 0x5a;

    /**
     * Makes the raw backing file in {@code dir} written in full with {@link #BACKING_DATA}: every copy-on-write region
     * then really copies data, for QEMU and for us (the sparse one's holes we skip, QEMU copies them). Writes
     * {@code virtualSize} bytes.
     */
    public Path createDataBackingFile(Path dir) throws IOException {
        Path base = dir.resolve(BACKING_FILE);
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        while (chunk.hasRemaining()) {
            chunk.put(BACKING_DATA);
        }
        try (FileChannel ch = FileChannel.open(base, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            for (long pos = 0; pos < virtualSize; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), virtualSize - pos));
                while (chunk.hasRemaining()) {
                    pos += ch.write(chunk, pos);
                }
            }
        }
        return base;
    }

    /**
     * Runs one row through our engine: creates {@code ours.qcow2} in {@code dir} (backed by {@link #BACKING_FILE}, which
     * {@link #createBackingFile} made, when the row has one), writes every offset, measures and deletes it.
     */
    public Measurement runRow(Path dir, Configuration c, ProgressMonitor monitor) throws IOException {
        return runRow(dir, c, monitor, RowWriter.IN_PROCESS);
    }

    /** As {@link #runRow(Path, Configuration, ProgressMonitor)}, the writes run by {@code writer}. */
    public Measurement runRow(Path dir, Configuration c, ProgressMonitor monitor, RowWriter writer) throws IOException {
        try (ScratchImages one = new ScratchImages(dir, 1)) {
            return runRow(dir, c, monitor, writer, one);
        }
    }

    /**
     * As {@link #runRow(Path, Configuration, ProgressMonitor, RowWriter)}, the image a new one of {@code scratch} (whose
     * directory must be {@code dir}: the image names {@link #BACKING_FILE} relative to itself), released to it afterwards: deleted with its batch.
     */
    public Measurement runRow(Path dir, Configuration c, ProgressMonitor monitor, RowWriter writer,
            ScratchImages scratch) throws IOException {
        CreateOptions o = CreateOptions.of(virtualSize).withClusterSize(c.clusterSize()).withExtendedL2(c.extendedL2());
        if (c.backing()) {
            o = o.withBacking(BACKING_FILE, "raw");
        }
        Path image = scratch.next("ours");
        try {
            ImageCreator.create(image, o);
            Result r = writer.write(this, image, monitor);
            return new Measurement(Files.size(image), HostFiles.allocatedBytes(image), r.hostBytesWritten(),
                    r.cowBytes(), c.l2CoverageBytes(virtualSize), r.seconds(), r.writes());
        } finally {
            scratch.release(image);
        }
    }
}

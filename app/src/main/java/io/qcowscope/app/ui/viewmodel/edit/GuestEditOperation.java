package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.write.WritableImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A queued guest write, zero write or discard over {@code [offset, offset + length)}, done through the engine's
 * {@link WritableImage} with QEMU's rules (spec 3.6). Applied in cluster-aligned pieces so that Cancel is honoured between
 * them (each piece leaves the image consistent) and the L2 entries of each piece are compared before and after.
 */
public final class GuestEditOperation implements PendingOperation {
    /** Largest piece written at once: bounds the buffer and the time between cancellation checks. */
    static final int PIECE = 8 << 20;

    private final GuestEdit kind;
    private final long offset;
    private final long length;
    private final int pattern;
    private final Path source;
    private final OpenOptions options;
    private volatile EntryChanges changes;

    private GuestEditOperation(GuestEdit kind, long offset, long length, int pattern, Path source, OpenOptions options) {
        this.kind = kind;
        this.offset = offset;
        this.length = length;
        this.pattern = pattern;
        this.source = source;
        this.options = options;
    }

    /** Fills the range with one byte value (qemu-io {@code write -P}). */
    public static GuestEditOperation pattern(long offset, long length, int value, OpenOptions options) {
        return new GuestEditOperation(GuestEdit.WRITE_PATTERN, offset, length, value & 0xFF, null, options);
    }

    /** Writes the bytes of {@code file} at {@code offset}; its length is the file's size when queued. */
    public static GuestEditOperation fromFile(long offset, Path file, OpenOptions options) throws IOException {
        return new GuestEditOperation(GuestEdit.WRITE_FILE, offset, Files.size(file), 0, file, options);
    }

    public static GuestEditOperation zero(long offset, long length, boolean unmap, OpenOptions options) {
        return new GuestEditOperation(unmap ? GuestEdit.ZERO_UNMAP : GuestEdit.ZERO, offset, length, 0, null, options);
    }

    public static GuestEditOperation discard(long offset, long length, OpenOptions options) {
        return new GuestEditOperation(GuestEdit.DISCARD, offset, length, 0, null, options);
    }

    public GuestEdit kind() {
        return kind;
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    /** What the last apply changed, null before. */
    public EntryChanges lastChanges() {
        return changes;
    }

    @Override
    public String title() {
        String range = Sizes.bytes(length) + " at " + Sizes.hex(offset);
        return switch (kind) {
            case WRITE_PATTERN -> "Write 0x" + String.format("%02x", pattern) + " over " + range;
            case WRITE_FILE -> "Write " + source.getFileName() + " (" + range + ")";
            case ZERO -> "Zero " + range;
            case ZERO_UNMAP -> "Zero " + range + " (unmap)";
            case DISCARD -> "Discard " + range;
        };
    }

    @Override
    public List<String> changes() {
        String range = "guest bytes " + Sizes.hex(offset) + " to " + Sizes.hex(offset + length - 1);
        return switch (kind) {
            case WRITE_PATTERN, WRITE_FILE -> List.of(range + " are written; clusters are allocated or copied on write "
                    + "as QEMU does");
            case ZERO -> List.of(range + " read as zeros (zero flags where QEMU sets them)");
            case ZERO_UNMAP -> List.of(range + " read as zeros; whole clusters give their host space back");
            case DISCARD -> List.of(range + ": whole clusters are discarded (they read from the backing file or as "
                    + "zeros); partial clusters stay as they are");
        };
    }

    @Override
    public RiskLevel risk() {
        return RiskLevel.CHANGES_GUEST_DATA;
    }

    @Override
    public String apply(Path target, UndoJournal journal, ProgressMonitor monitor) throws IOException {
        try (WritableImage w = WritableImage.open(target, options, journal);
                InputStream in = source == null ? null : Files.newInputStream(source)) {
            if (offset < 0 || length < 0 || offset > w.virtualSize() - length) {
                throw new IllegalArgumentException(title() + ": the range is outside the disk of "
                        + Sizes.bytes(w.virtualSize()));
            }
            int bits = w.geometry().clusterBits();
            EntryChanges diff = new EntryChanges(w.geometry().extendedL2());
            long copied0 = w.cowBytesCopied();
            long pos = offset;
            long end = offset + length;
            byte[] buf = null;
            while (pos < end) {
                monitor.checkCancelled();
                // pieces end on cluster boundaries, so that each cluster is compared once
                long next = Math.min(end, ((pos + PIECE) >>> bits) << bits);
                if (next <= pos) {
                    next = Math.min(end, pos + PIECE);
                }
                int n = (int) (next - pos);
                long firstCluster = pos >>> bits;
                long lastCluster = (next - 1) >>> bits;
                long[][] before = entries(w, firstCluster, lastCluster, bits);
                switch (kind) {
                    case WRITE_PATTERN -> {
                        if (buf == null || buf.length < n) {
                            buf = new byte[(int) Math.min(PIECE, length)];
                            Arrays.fill(buf, (byte) pattern);
                        }
                        w.write(pos, buf, 0, n);
                    }
                    case WRITE_FILE -> {
                        if (buf == null) {
                            buf = new byte[(int) Math.min(PIECE, length)];
                        }
                        int got = in.readNBytes(buf, 0, n);
                        if (got != n) {
                            throw new IOException(source + " became shorter after it was queued");
                        }
                        w.write(pos, buf, 0, n);
                    }
                    case ZERO -> w.writeZeroes(pos, n, false);
                    case ZERO_UNMAP -> w.writeZeroes(pos, n, true);
                    case DISCARD -> w.discard(pos, n);
                }
                long[][] after = entries(w, firstCluster, lastCluster, bits);
                for (int i = 0; i < before.length; i++) {
                    diff.add(firstCluster + i, before[i][0], before[i][1], after[i][0], after[i][1], bits);
                }
                pos = next;
                monitor.progress(pos - offset, length);
            }
            diff.addBytesCopied(w.cowBytesCopied() - copied0);
            changes = diff;
            return diff.summary();
        }
    }

    private static long[][] entries(WritableImage w, long first, long last, int bits) throws IOException {
        long[][] e = new long[(int) (last - first + 1)][];
        for (int i = 0; i < e.length; i++) {
            e[i] = w.l2Entry((first + i) << bits);
        }
        return e;
    }
}

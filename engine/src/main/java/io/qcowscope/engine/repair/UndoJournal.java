package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Structure;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The undo journal of an in-place repair, kept as a write-ahead log: a header with the image path and its original length,
 * then batches of regions, each batch holding the original bytes of the regions about to be overwritten and synced before
 * the first of those writes. Undo puts every recorded region back, newest batch first, and truncates to the original
 * length, which restores the file bit for bit (bytes past the original end need no record: truncation removes them).
 *
 * <p>Layout (big-endian): magic {@code QCSUNDO2}, image path (u16 + UTF-8), original length (u64), header CRC32 (u64);
 * then per batch: region count (u32), per region offset (u64), length (u32) and bytes, then the batch's CRC32 (u64). A
 * torn last batch (bad CRC) is ignored: its writes never started, because they wait for its sync.
 */
public final class UndoJournal implements Closeable, io.qcowscope.engine.storage.UndoRecorder {
    private static final byte[] MAGIC = "QCSUNDO2".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_REGION = 64 << 20;

    /** A byte range of the image as it was before the repair touched it. */
    public record Region(long offset, byte[] original) {
    }

    /** Runs of recorded bytes remembered (start to end, merged) before a range is simply recorded again. */
    private static final int MAX_REMEMBERED = 1 << 16;

    private final Path image;
    private final long originalLength;
    private final List<Region> regions;
    private final FileChannel out;
    /** Bytes already in this journal: recording them again would keep no original byte (the first record has it). */
    private final java.util.TreeMap<Long, Long> recorded = new java.util.TreeMap<>();
    private long syncs;

    private UndoJournal(Path image, long originalLength, List<Region> regions, FileChannel out) {
        this.image = image;
        this.originalLength = originalLength;
        this.regions = regions;
        this.out = out;
    }

    public Path image() {
        return image;
    }

    public long originalLength() {
        return originalLength;
    }

    /** Record batches synced to the journal file so far (each one fsync), for the Apply's figures. */
    public long syncs() {
        return syncs;
    }

    public List<Region> regions() {
        return List.copyOf(regions);
    }

    /** Starts a journal for {@code image}; the file {@code journal} must not exist. Synced before returning. */
    public static UndoJournal create(Path image, Path journal) throws IOException {
        long length = Files.size(image);
        FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(buf)) {
            d.write(MAGIC);
            d.writeUTF(image.toAbsolutePath().toString());
            d.writeLong(length);
        }
        writeWithCrc(ch, buf.toByteArray());
        ch.force(true);
        syncDirectory(journal.toAbsolutePath().getParent());
        return new UndoJournal(image.toAbsolutePath(), length, new ArrayList<>(), ch);
    }

    /**
     * Records the current bytes of the ranges ({offset, length} pairs) about to be overwritten, synced before returning.
     * The parts past the original end of the image are not recorded.
     */
    public void record(List<long[]> ranges) throws IOException {
        List<long[]> fresh = new ArrayList<>();
        for (long[] r : ranges) {
            notYetRecorded(r[0], Math.min(r[0] + r[1], originalLength), fresh);
        }
        if (fresh.isEmpty()) {
            return;
        }
        List<Region> batch = new ArrayList<>();
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            for (long[] r : fresh) {
                long off = r[0];
                long end = r[0] + r[1];
                while (off < end) {
                    int n = (int) Math.min(MAX_REGION, end - off);
                    ByteBuffer b = ByteBuffer.allocate(n);
                    while (b.hasRemaining()) {
                        if (in.read(b, off + b.position()) < 0) {
                            break;
                        }
                    }
                    batch.add(new Region(off, b.array()));
                    off += n;
                }
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(buf)) {
            d.writeInt(batch.size());
            for (Region r : batch) {
                d.writeLong(r.offset());
                d.writeInt(r.original().length);
                d.write(r.original());
            }
        }
        writeWithCrc(out, buf.toByteArray());
        out.force(true);
        syncs++;
        regions.addAll(batch);
        for (long[] r : fresh) {
            if (recorded.size() < MAX_REMEMBERED) {
                remember(r[0], r[0] + r[1]);
            }
        }
    }

    /** The parts of {@code [from, to)} this journal does not hold yet, appended to {@code out}. */
    private void notYetRecorded(long from, long to, List<long[]> out) {
        long pos = from;
        while (pos < to) {
            var before = recorded.floorEntry(pos);
            if (before != null && before.getValue() > pos) {
                pos = before.getValue();
                continue;
            }
            var next = recorded.higherEntry(pos);
            long end = next == null ? to : Math.min(to, next.getKey());
            out.add(new long[]{pos, end - pos});
            pos = end;
        }
    }

    private void remember(long from, long to) {
        var before = recorded.floorEntry(from);
        if (before != null && before.getValue() >= from) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        for (var next = recorded.ceilingEntry(from + 1); next != null && next.getKey() <= to;
                next = recorded.ceilingEntry(from + 1)) {
            to = Math.max(to, next.getValue());
            recorded.remove(next.getKey());
        }
        recorded.put(from, to);
    }

    /** Records every range of {@code image} into a new journal at once (convenience for a known set of regions). */
    public static UndoJournal capture(Path image, List<long[]> ranges, Path journal) throws IOException {
        try (UndoJournal j = create(image, journal)) {
            j.record(ranges);
            return j;
        }
    }

    @Override
    public void close() throws IOException {
        if (out.isOpen()) {
            out.force(true);
            out.close();
        }
    }

    private static void writeWithCrc(FileChannel ch, byte[] body) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteBuffer b = ByteBuffer.allocate(body.length + 8);
        b.put(body).putLong(crc.getValue()).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads a journal; a torn last batch is dropped, any other damage is an error. */
    public static UndoJournal read(Path journal) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(journal));
        int start = b.position();
        if (b.remaining() < MAGIC.length + 2 + 16) {
            throw new Qcow2FormatException(Structure.UNDO_JOURNAL, 0, "journal " + journal + " is truncated");
        }
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new Qcow2FormatException(Structure.UNDO_JOURNAL, 0, journal + " is not a qcowscope undo journal");
        }
        int pathLen = b.getShort() & 0xFFFF;
        if (b.remaining() < pathLen + 16) {
            throw new Qcow2FormatException(Structure.UNDO_JOURNAL, 0, "journal " + journal + " is truncated");
        }
        byte[] path = new byte[pathLen];
        b.get(path);
        long length = b.getLong();
        if (!crcMatches(b, start, b.position())) {
            throw new Qcow2FormatException(Structure.UNDO_JOURNAL, 0, "journal " + journal
                    + " is damaged (checksum mismatch); it was not used");
        }
        List<Region> regions = new ArrayList<>();
        while (b.remaining() >= 4) {
            int batchStart = b.position();
            List<Region> batch = new ArrayList<>();
            try {
                int n = b.getInt();
                for (int i = 0; i < n; i++) {
                    long off = b.getLong();
                    int len = b.getInt();
                    if (len < 0 || len > MAX_REGION || off < 0) {
                        throw new java.nio.BufferUnderflowException();
                    }
                    byte[] bytes = new byte[len];
                    b.get(bytes);
                    batch.add(new Region(off, bytes));
                }
                if (!crcMatches(b, batchStart, b.position())) {
                    break;
                }
            } catch (java.nio.BufferUnderflowException e) {
                break;
            }
            regions.addAll(batch);
        }
        return new UndoJournal(Path.of(new String(path, StandardCharsets.UTF_8)), length, regions, null);
    }

    private static boolean crcMatches(ByteBuffer b, int from, int to) {
        if (b.remaining() < 8) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), from, to - from);
        return crc.getValue() == b.getLong();
    }

    /** Puts every recorded byte back, newest first, and truncates to the original length; the image must not be in use. */
    public void undo() throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            for (int i = regions.size() - 1; i >= 0; i--) {
                Region r = regions.get(i);
                ByteBuffer b = ByteBuffer.wrap(r.original());
                long pos = r.offset();
                while (b.hasRemaining()) {
                    pos += ch.write(b, pos);
                }
            }
            if (ch.size() > originalLength) {
                ch.truncate(originalLength);
            } else if (ch.size() < originalLength) {
                throw new Qcow2Exception(Structure.UNDO_JOURNAL, -1, "image " + image + " is shorter (" + ch.size()
                        + " bytes) than before the repair (" + originalLength + "): it was changed by something else");
            }
            ch.force(true);
        }
    }

    static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory; the journal file itself is synced
        }
    }
}

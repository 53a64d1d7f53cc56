package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2FormatException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
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
 * The undo journal of an in-place repair: the original bytes of every region the repair will touch and the original file
 * length, written and synced before the first change. Undo writes the bytes back and truncates to the old length, which
 * restores the file bit for bit (regions past the old end need no bytes: truncation removes them).
 *
 * <p>File layout (big-endian): magic {@code QCSUNDO1}, the image path (u16 length + UTF-8), the original length (u64), the
 * region count (u32), then per region its offset (u64), length (u32) and bytes; last a CRC32 of everything before it.
 */
public final class UndoJournal {
    private static final byte[] MAGIC = "QCSUNDO1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_REGION = 64 << 20;

    /** A byte range of the image as it was before the repair. */
    public record Region(long offset, byte[] original) {
    }

    private final Path image;
    private final long originalLength;
    private final List<Region> regions;

    private UndoJournal(Path image, long originalLength, List<Region> regions) {
        this.image = image;
        this.originalLength = originalLength;
        this.regions = List.copyOf(regions);
    }

    public Path image() {
        return image;
    }

    public long originalLength() {
        return originalLength;
    }

    public List<Region> regions() {
        return regions;
    }

    /**
     * Captures the current bytes of {@code ranges} (offset, length pairs) of {@code image} into {@code journal}, synced to
     * disk (file and directory) before returning. Ranges past the end of the file are recorded as far as the file goes.
     */
    public static UndoJournal capture(Path image, List<long[]> ranges, Path journal) throws IOException {
        List<Region> regions = new ArrayList<>();
        long length;
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            length = ch.size();
            for (long[] r : ranges) {
                long off = r[0];
                long end = Math.min(r[0] + r[1], length);
                while (off < end) {
                    int n = (int) Math.min(MAX_REGION, end - off);
                    ByteBuffer b = ByteBuffer.allocate(n);
                    while (b.hasRemaining()) {
                        if (ch.read(b, off + b.position()) < 0) {
                            break;
                        }
                    }
                    regions.add(new Region(off, b.array()));
                    off += n;
                }
            }
        }
        UndoJournal j = new UndoJournal(image.toAbsolutePath(), length, regions);
        j.write(journal);
        return j;
    }

    private void write(Path journal) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.write(MAGIC);
            out.writeUTF(image.toString());
            out.writeLong(originalLength);
            out.writeInt(regions.size());
            for (Region r : regions) {
                out.writeLong(r.offset());
                out.writeInt(r.original().length);
                out.write(r.original());
            }
        }
        byte[] body = buf.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(body));
            ch.write(ByteBuffer.allocate(8).putLong(0, crc.getValue()));
            ch.force(true);
        }
        syncDirectory(journal.toAbsolutePath().getParent());
    }

    /** Reads and verifies a journal. */
    public static UndoJournal read(Path journal) throws IOException {
        byte[] all = Files.readAllBytes(journal);
        if (all.length < MAGIC.length + 8) {
            throw new Qcow2FormatException("undo journal", 0, "journal " + journal + " is truncated");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw new Qcow2FormatException("undo journal", all.length - 8, "journal " + journal
                    + " is damaged (checksum mismatch); it was not used");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 8))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new Qcow2FormatException("undo journal", 0, journal + " is not a qcowscope undo journal");
            }
            Path image = Path.of(in.readUTF());
            long length = in.readLong();
            int n = in.readInt();
            List<Region> regions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long off = in.readLong();
                int len = in.readInt();
                if (len < 0 || len > MAX_REGION) {
                    throw new Qcow2FormatException("undo journal", -1, "region " + i + " has a bad length " + len);
                }
                regions.add(new Region(off, in.readNBytes(len)));
            }
            return new UndoJournal(image, length, regions);
        }
    }

    /** Puts every recorded byte back and truncates to the original length; the image must not be in use. */
    public void undo() throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            for (Region r : regions) {
                ByteBuffer b = ByteBuffer.wrap(r.original());
                long pos = r.offset();
                while (b.hasRemaining()) {
                    pos += ch.write(b, pos);
                }
            }
            if (ch.size() > originalLength) {
                ch.truncate(originalLength);
            } else if (ch.size() < originalLength) {
                throw new Qcow2Exception("undo journal", -1, "image " + image + " is shorter (" + ch.size()
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

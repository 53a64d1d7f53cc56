package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.format.SnapshotTableCodec;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw header fields of a file read in rescue mode (issue 14), with the facts the file offers about them: table
 * offsets, their alignment, what lies where they point. Every read is bounded by the file and by QEMU's limits (spec 0).
 */
final class HeaderEvidence {
    /** The header area read: cluster 0 of the largest cluster size (spec 1.1). */
    static final int HEAD_BYTES = 1 << Limits.MAX_CLUSTER_BITS;
    /** L1 and refcount table entries looked at for alignment evidence. */
    private static final int SAMPLE_ENTRIES = 4096;

    private final Storage file;
    private final long fileSize;
    private final byte[] head;

    HeaderEvidence(Storage file, byte[] head) throws IOException {
        this.file = file;
        this.fileSize = file.size();
        this.head = head;
    }

    static byte[] readHead(Storage file) throws IOException {
        int n = (int) Math.max(Qcow2Header.V3_LENGTH, Math.min(file.size(), HEAD_BYTES));
        return file.read(0, n);
    }

    long fileSize() {
        return fileSize;
    }

    byte[] head() {
        return head;
    }

    long u32(int at) {
        return ByteBuffer.wrap(head).getInt(at) & 0xFFFFFFFFL;
    }

    long u64(int at) {
        return ByteBuffer.wrap(head).getLong(at);
    }

    long l1Offset() {
        return u64(40);
    }

    long l1Size() {
        return u32(36);
    }

    long reftableOffset() {
        return u64(48);
    }

    long virtualSize() {
        return u64(24);
    }

    boolean extendedL2() {
        return u32(4) == 3 && (u64(72) & 0x10) != 0;
    }

    /** A table offset that can be one: non-zero, aligned to {@code cs}, inside the file. */
    boolean placed(long offset, long cs) {
        return offset > 0 && (offset & (cs - 1)) == 0 && offset < fileSize;
    }

    /** Up to {@link #SAMPLE_ENTRIES} words at {@code offset} (zeros past the end of the file). */
    long[] words(long offset, long count) throws IOException {
        if (offset < 0 || offset >= fileSize) {
            return new long[0];
        }
        int n = (int) Math.min(Math.min(count, SAMPLE_ENTRIES), (fileSize - offset) / 8);
        ByteBuffer b = ByteBuffer.wrap(file.read(offset, n * 8));
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            w[i] = b.getLong(8 * i);
        }
        return w;
    }

    /** The first refcount table entry: where the refcount block of cluster 0 lies. */
    long reftable0() throws IOException {
        long[] w = words(reftableOffset(), 1);
        return w.length == 0 ? 0 : w[0] & ~0x1FFL;
    }

    /** L1 entries that name an L2 table, masked to their offset (spec 3.1). */
    List<Long> l2Offsets() throws IOException {
        List<Long> out = new ArrayList<>();
        for (long e : words(l1Offset(), l1Size())) {
            long o = e & 0x00FFFFFFFFFFFE00L;
            if (o != 0) {
                out.add(o);
            }
        }
        return out;
    }

    /** Snapshot table entries read for their disk sizes: enough for any real image's evidence, bounded. */
    private static final int SNAPSHOTS_READ = 256;

    /**
     * The virtual sizes the snapshot table records (spec 4.1: {@code disk_size}, extra data bytes 8..15), first seen
     * first, each once; decoded by the format's own codec, which bounds every entry. A table that does not decode, or
     * runs past the end of the file, is no evidence.
     */
    List<Long> snapshotDiskSizes() throws IOException {
        long n = Math.min(u32(60), SNAPSHOTS_READ);
        long at = u64(64);
        List<Long> out = new ArrayList<>();
        if (n == 0 || !placed(at, 8)) {
            return out;
        }
        try {
            for (SnapshotEntry e : SnapshotTableCodec.decode(this::readInFile, at, n, -1, true)) {
                if (e.diskSize() > 0 && !out.contains(e.diskSize())) {
                    out.add(e.diskSize());
                }
            }
        } catch (Qcow2Exception e) {
            return List.of();
        }
        return out;
    }

    /** A read of the file that fails, with the structure and offset, where it would run past the end. */
    private void readInFile(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        if (offset < 0 || offset > fileSize - length) {
            throw new Qcow2FormatException(Structure.SNAPSHOT_TABLE, offset, "runs past the end of the file");
        }
        file.read(offset, dst, dstOffset, length);
    }

    /** L1 entries needed to map the virtual size with {@code clusterBits} (QEMU's rule, spec 1.2 step 11). */
    long neededL1(int clusterBits) {
        long size = virtualSize();
        if (size < 0) {
            return Long.MAX_VALUE;
        }
        int l2Bits = clusterBits - (extendedL2() ? 4 : 3);
        long perEntry = 1L << (clusterBits + l2Bits);
        return size / perEntry + (size % perEntry == 0 ? 0 : 1);
    }

    /**
     * Null when the file looks like a qcow2 image whose header is damaged: its L1 and refcount tables lie at aligned offsets
     * inside the file and the refcount table names a refcount block inside it; otherwise what it lacks.
     */
    String notQcow2() throws IOException {
        if (fileSize < Qcow2Header.V2_LENGTH) {
            return "the file is " + fileSize + " bytes, shorter than a qcow2 header";
        }
        long cs = 1L << Limits.MIN_CLUSTER_BITS;
        if (!placed(l1Offset(), cs)) {
            return String.format("bytes 40..47 (0x%x) are no L1 table offset inside the file", l1Offset());
        }
        if (!placed(reftableOffset(), cs)) {
            return String.format("bytes 48..55 (0x%x) are no refcount table offset inside the file", reftableOffset());
        }
        if (!placed(reftable0(), cs)) {
            return "the refcount table names no refcount block inside the file";
        }
        long clusters = u32(56);
        if (clusters == 0 || clusters > Limits.MAX_REFTABLE_BYTES / cs) {
            return "refcount_table_clusters is " + clusters;
        }
        return null;
    }

    /** {@link #notQcow2()}, unless the file carries the qcow2 magic "QFI\\xfb" (then the damage is elsewhere). */
    String nothingToRescue() throws IOException {
        if (fileSize >= Qcow2Header.V2_LENGTH && u32(0) == Qcow2Header.MAGIC) {
            return null;
        }
        return notQcow2();
    }

    /** The facts {@link #notQcow2()} found, in words. */
    String qcow2Facts() throws IOException {
        return String.format("L1 table at 0x%x, refcount table at 0x%x naming a refcount block at 0x%x, all aligned and "
                + "inside the %d-byte file", l1Offset(), reftableOffset(), reftable0(), fileSize);
    }
}

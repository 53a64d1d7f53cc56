package io.qcowscope.engine.storage;

import io.qcowscope.engine.format.Qcow2IoException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes an image lives in: a host file, or memory in tests (STYLE: storage swappable). Reads past the end return zeros,
 * as QEMU's file driver does.
 */
public interface Storage extends Closeable {

    /** A name for messages: the file path, or a label. */
    String name();

    long size() throws IOException;

    /** Reads {@code length} bytes at {@code position}; the part past the end of the storage is zero-filled. */
    void read(long position, byte[] dst, int offset, int length) throws IOException;

    default byte[] read(long position, int length) throws IOException {
        byte[] b = new byte[length];
        read(position, b, 0, length);
        return b;
    }

    /**
     * As {@link #read(long, byte[], int, int)} into {@code dst} from its position to its limit (the position ends at the
     * limit). A file reads straight into a direct buffer; the default goes through {@link #read(long, byte[], int, int)}.
     */
    default void read(long position, ByteBuffer dst) throws IOException {
        int n = dst.remaining();
        if (dst.hasArray()) {
            read(position, dst.array(), dst.arrayOffset() + dst.position(), n);
            dst.position(dst.limit());
        } else {
            dst.put(read(position, n));
        }
    }

    boolean writable();

    /** Writes, growing the storage when the range goes past its end. */
    void write(long position, byte[] src, int offset, int length) throws IOException;

    /**
     * As {@link #write(long, byte[], int, int)} from {@code src}'s position to its limit (the position ends at the limit).
     * A file writes straight from a direct buffer; the default goes through {@link #write(long, byte[], int, int)}, so a
     * storage that watches its writes sees these too.
     */
    default void write(long position, ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (src.hasArray()) {
            write(position, src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.limit());
        } else {
            byte[] b = new byte[n];
            src.get(b);
            write(position, b, 0, n);
        }
    }

    void truncate(long size) throws IOException;

    /**
     * The ranges ({offset, length} pairs) a batch of writes is about to overwrite, announced before the first of them: a
     * storage that journals what it overwrites records them all at once (one sync for the batch, the writes after it
     * find their bytes recorded already). Writing nothing, and changing nothing of the order of the writes; the default
     * does nothing.
     */
    default void willWrite(java.util.List<long[]> ranges) throws IOException {
    }

    /** Makes every completed write durable (fdatasync). */
    void flush() throws IOException;

    /**
     * The first offset at or after {@code position} that holds data (SEEK_DATA), or -1 when only a hole follows. Storages
     * that cannot tell say everything below {@link #size()} is data.
     */
    default long nextData(long position) throws IOException {
        return position < size() ? position : -1;
    }

    /** The first offset at or after {@code position} inside a hole (SEEK_HOLE); the end of the storage at the latest. */
    default long nextHole(long position) throws IOException {
        return Math.max(position, size());
    }

    /**
     * Gives the host space of {@code [position, position + length)} back (a hole that reads as zeros, the size kept), as
     * QEMU's file driver does for a discard; returns false where the storage cannot, with the bytes left as they were.
     */
    default boolean punchHole(long position, long length) throws IOException {
        return false;
    }

    /** Bytes the host really allocates (st_blocks * 512), as qemu-img's {@code actual-size}. */
    default long allocatedBytes() throws IOException {
        return size();
    }

    /** Refuses positions no file can have: a hostile offset becomes a typed error, not an IllegalArgumentException. */
    static void checkRange(Storage s, long position, int length) throws Qcow2IoException {
        if (position < 0 || length < 0 || position > MAX_POSITION - length) {
            throw Qcow2IoException.inFile(s.name(), position, "offset 0x" + Long.toHexString(position)
                    + " is beyond any possible file size");
        }
    }

    /** The largest file position we accept (2^62): well above any real file, far from overflow. */
    long MAX_POSITION = 1L << 62;
}

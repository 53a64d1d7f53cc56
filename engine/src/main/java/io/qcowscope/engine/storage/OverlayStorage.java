package io.qcowscope.engine.storage;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A copy-on-write scratch layer over a storage that is only read: writes land in memory pages, reads see them over the
 * base, and the base is never written (a dry run of a write). Memory is bounded by {@code maxBytes}: a plan that writes
 * more fails with an IOException instead of growing without limit.
 */
public final class OverlayStorage implements Storage {
    private static final int PAGE_BITS = 16;
    private static final int PAGE = 1 << PAGE_BITS;

    private final Storage base;
    private final long maxBytes;
    /** Page index to its bytes; pages hold the base's bytes where the overlay did not write them. */
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();
    private long size;

    public OverlayStorage(Storage base, long maxBytes) throws IOException {
        this.base = base;
        this.maxBytes = maxBytes;
        this.size = base.size();
    }

    public Storage base() {
        return base;
    }

    /** Bytes of memory the overlay holds. */
    public long heldBytes() {
        return (long) pages.size() * PAGE;
    }

    @Override
    public String name() {
        return base.name() + " (scratch overlay)";
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long position, byte[] dst, int offset, int length) throws IOException {
        Storage.checkRange(this, position, length);
        int done = 0;
        while (done < length) {
            long pos = position + done;
            long page = pos >>> PAGE_BITS;
            int in = (int) (pos & (PAGE - 1));
            int n = Math.min(length - done, PAGE - in);
            byte[] p = pages.get(page);
            if (pos >= size) {
                Arrays.fill(dst, offset + done, offset + done + n, (byte) 0);
            } else if (p != null) {
                System.arraycopy(p, in, dst, offset + done, n);
            } else {
                base.read(pos, dst, offset + done, n);
            }
            if (pos < size && pos + n > size) {
                int keep = (int) (size - pos);
                Arrays.fill(dst, offset + done + keep, offset + done + n, (byte) 0);
            }
            done += n;
        }
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public void write(long position, byte[] src, int offset, int length) throws IOException {
        Storage.checkRange(this, position, length);
        int done = 0;
        while (done < length) {
            long pos = position + done;
            int in = (int) (pos & (PAGE - 1));
            int n = Math.min(length - done, PAGE - in);
            System.arraycopy(src, offset + done, page(pos >>> PAGE_BITS), in, n);
            done += n;
        }
        size = Math.max(size, position + length);
    }

    private byte[] page(long index) throws IOException {
        byte[] p = pages.get(index);
        if (p == null) {
            if (heldBytes() + PAGE > maxBytes) {
                throw new IOException("the scratch overlay of " + base.name() + " would hold more than " + maxBytes
                        + " bytes: the planned write is too large");
            }
            p = new byte[PAGE];
            long start = index << PAGE_BITS;
            if (start < size) {
                read(start, p, 0, (int) Math.min(PAGE, size - start));
            }
            pages.put(index, p);
        }
        return p;
    }

    @Override
    public void truncate(long newSize) throws IOException {
        if (newSize < size) {
            // Bytes past the new end read as zeros again if the file grows later.
            for (Map.Entry<Long, byte[]> e : pages.tailMap(newSize >>> PAGE_BITS, true).entrySet()) {
                long start = e.getKey() << PAGE_BITS;
                int from = (int) Math.max(0, newSize - start);
                Arrays.fill(e.getValue(), from, PAGE, (byte) 0);
            }
            for (long p = newSize >>> PAGE_BITS; p <= (size - 1) >>> PAGE_BITS; p++) {
                page(p);
            }
        }
        size = newSize;
    }

    /** Nothing reaches a disk; the caller that records flushes sees the call. */
    @Override
    public void flush() {
    }

    @Override
    public long nextData(long position) throws IOException {
        if (position >= size) {
            return -1;
        }
        Long p = pages.ceilingKey(position >>> PAGE_BITS);
        long fromPages = p == null ? Long.MAX_VALUE : Math.max(position, p << PAGE_BITS);
        long fromBase = base.nextData(position);
        long d = Math.min(fromPages, fromBase < 0 ? Long.MAX_VALUE : fromBase);
        return d >= size ? -1 : d;
    }

    @Override
    public long nextHole(long position) throws IOException {
        long pos = position;
        while (pos < size) {
            if (pages.containsKey(pos >>> PAGE_BITS)) {
                pos = ((pos >>> PAGE_BITS) + 1) << PAGE_BITS;
                continue;
            }
            long h = Math.min(base.nextHole(pos), size);
            if (h >= size || !pages.containsKey(h >>> PAGE_BITS)) {
                return Math.max(h, pos);
            }
            pos = h;
        }
        return Math.max(position, size);
    }

    /** A discard's hole: the range reads as zeros afterwards (in the overlay). */
    @Override
    public boolean punchHole(long position, long length) throws IOException {
        long end = Math.min(size, position + length);
        byte[] zeros = new byte[PAGE];
        for (long pos = position; pos < end; ) {
            int n = (int) Math.min(PAGE - (pos & (PAGE - 1)), end - pos);
            write(pos, zeros, 0, n);
            pos += n;
        }
        return true;
    }

    @Override
    public long allocatedBytes() throws IOException {
        return Math.max(base.allocatedBytes(), size);
    }

    /** Closes the base storage (read-only); the overlay's pages are dropped. */
    @Override
    public void close() throws IOException {
        pages.clear();
        base.close();
    }
}

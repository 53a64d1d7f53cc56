package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.image.BlockStatus;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * What the guest reads from one image file, as one SHA-256 per 1 GiB of the disk (issue 15: risk labels checked, not
 * asserted). Streaming: block status skips zero ranges without reading them, data is read one block at a time. Each block
 * contributes a canonical token (all zeros, left to the backing file, unreadable, or its bytes), so two images that read
 * the same give the same digests however their tables describe it. The backing chain is not opened: a range this layer
 * leaves unallocated is its own token. Blocks unreadable in the first image are unreadable in the comparison too, so a fix
 * that makes them readable is not a change.
 */
final class GuestDigest {
    static final long CHUNK = 1L << 30;
    /** Unreadable blocks remembered at most; past it the comparison is not made. */
    static final int MAX_UNREADABLE = 1 << 20;

    private static final byte ZERO = 'Z';
    private static final byte UNALLOCATED = 'U';
    private static final byte UNREADABLE = 'E';
    private static final byte DATA = 'D';

    private final byte[][] chunks;
    private final BitSet unreadable;
    private final int blockBits;
    private final boolean complete;

    private GuestDigest(byte[][] chunks, BitSet unreadable, int blockBits, boolean complete) {
        this.chunks = chunks;
        this.unreadable = unreadable;
        this.blockBits = blockBits;
        this.complete = complete;
    }

    /** False when too many blocks were unreadable to compare. */
    boolean complete() {
        return complete;
    }

    static GuestDigest of(Path image, ProgressMonitor monitor) throws IOException {
        return of(image, null, monitor);
    }

    /** The digests of {@code image}, with the blocks {@code like} found unreadable counted as unreadable. */
    static GuestDigest of(Path image, GuestDigest like, ProgressMonitor monitor) throws IOException {
        try (Qcow2Image img = Qcow2Image.open(image, OpenOptions.readOnly().withCheckMode(true)
                .withBackingChain(false))) {
            return new Scan(img, like, monitor).run();
        }
    }

    /** The first guest offset of a 1 GiB chunk whose content differs from {@code other}'s, or -1. */
    long firstDifference(GuestDigest other) {
        int n = Math.max(chunks.length, other.chunks.length);
        for (int i = 0; i < n; i++) {
            byte[] a = i < chunks.length ? chunks[i] : null;
            byte[] b = i < other.chunks.length ? other.chunks[i] : null;
            if (!Arrays.equals(a, b)) {
                return i * CHUNK;
            }
        }
        return -1;
    }

    private static final class Scan {
        private final Qcow2Image img;
        private final GuestDigest like;
        private final ProgressMonitor monitor;
        private final int blockBits;
        private final long block;
        private final long size;
        private final byte[] buf;
        private final BitSet unreadable = new BitSet();
        private boolean complete = true;
        private MessageDigest md;
        /** Whole blocks of one token (zero or unallocated) not yet fed: a run is one token however it is split. */
        private byte pending;
        private long pendingCount;

        Scan(Qcow2Image img, GuestDigest like, ProgressMonitor monitor) {
            this.img = img;
            this.like = like;
            this.monitor = monitor;
            this.blockBits = like != null ? like.blockBits : Math.min(21, Math.max(16, img.geometry().clusterBits()));
            this.block = 1L << blockBits;
            this.size = img.virtualSize();
            this.buf = new byte[(int) block];
        }

        GuestDigest run() throws IOException {
            int nChunks = (int) ((size + CHUNK - 1) / CHUNK);
            byte[][] out = new byte[nChunks][];
            for (int c = 0; c < nChunks; c++) {
                md = sha256();
                long end = Math.min(size, (c + 1) * CHUNK);
                for (long b = c * CHUNK; b < end; ) {
                    monitor.checkCancelled();
                    b = blockOrRun(b, end);
                }
                flush();
                out[c] = md.digest();
            }
            return new GuestDigest(out, unreadable, blockBits, complete);
        }

        /** Feeds the block at {@code at} (or a run of whole zero blocks) and returns where the next one starts. */
        private long blockOrRun(long at, long end) throws IOException {
            long index = at >>> blockBits;
            int n = (int) Math.min(block, end - at);
            if (like != null && like.unreadable.get((int) index) || index > Integer.MAX_VALUE) {
                token(UNREADABLE, 1);
                return at + n;
            }
            try {
                BlockStatus st = img.blockStatus(at, end - at);
                long run = Math.max(1, st.length());
                // Reads as zeros: a zero entry, or (metadata preallocation) data clusters over holes of the host file,
                // which block status reports as data and zero. Not read: 1 TiB preallocated would be 1 TiB of zeros.
                boolean zero = st.zero();
                boolean left = !st.allocated() && !zero;
                if ((zero || left) && run >= block) {
                    long whole = run >>> blockBits;
                    token(zero ? ZERO : UNALLOCATED, whole);
                    return at + (whole << blockBits);
                }
                // A block partly described otherwise: its bytes (zeros where the tables say zero), the parts left to
                // the backing file as a marker and length.
                MessageDigest bd = sha256();
                boolean allZero = true;
                for (long p = at; p < at + n; ) {
                    BlockStatus s = img.blockStatus(p, at + n - p);
                    int len = (int) Math.max(1, Math.min(s.length(), at + n - p));
                    if (!s.allocated() && !s.zero()) {
                        bd.update(UNALLOCATED);
                        bd.update(Long.toString(len).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        allZero = false;
                    } else {
                        if (s.zero()) {
                            Arrays.fill(buf, 0, len, (byte) 0);
                        } else {
                            img.read(p, buf, 0, len);
                            for (int i = 0; i < len && allZero; i++) {
                                allZero = buf[i] == 0;
                            }
                        }
                        bd.update(buf, 0, len);
                    }
                    p += len;
                }
                if (allZero) {
                    token(ZERO, 1);
                } else {
                    flush();
                    md.update(DATA);
                    md.update(bd.digest());
                }
                return at + n;
            } catch (Qcow2Exception | IllegalArgumentException e) {
                if (like == null) {
                    if (unreadable.cardinality() >= MAX_UNREADABLE) {
                        complete = false;
                    } else {
                        unreadable.set((int) index);
                    }
                }
                token(UNREADABLE, 1);
                return at + n;
            }
        }

        private void token(byte t, long count) {
            if (pending != t) {
                flush();
                pending = t;
            }
            pendingCount += count;
        }

        private void flush() {
            if (pendingCount > 0) {
                md.update(pending);
                for (int i = 56; i >= 0; i -= 8) {
                    md.update((byte) (pendingCount >>> i));
                }
            }
            pending = 0;
            pendingCount = 0;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.qcowscope.engine.image;

import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads tables of big-endian 64-bit words (L1, L2, refcount table). */
final class Words {
    /** Bytes read at a time: a big table is decoded through this much raw buffer, not a copy of its whole size. */
    private static final int CHUNK_BYTES = 64 << 10;

    private Words() {
    }

    static long[] read(Storage s, long offset, int count) throws IOException {
        Storage.checkRange(s, offset, count * 8); // the whole table's range is refused as one read would refuse it
        long[] out = new long[count];
        byte[] raw = new byte[Math.min(count, CHUNK_BYTES / 8) * 8];
        ByteBuffer words = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, raw.length / 8);
            s.read(offset + done * 8L, raw, 0, n * 8);
            words.asLongBuffer().get(out, done, n);
            done += n;
        }
        return out;
    }

    /**
     * A table of {@code count} words up to its last non-zero one (trailing zeros dropped): a refcount table, of which a
     * small image uses a few entries of a cluster's worth (262,144 at 2 MiB clusters).
     */
    static long[] readInUse(Storage s, long offset, int count) throws IOException {
        Storage.checkRange(s, offset, count * 8);
        byte[] raw = new byte[Math.min(count, CHUNK_BYTES / 8) * 8];
        long[] chunk = new long[raw.length / 8];
        ByteBuffer words = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
        long[] out = new long[0];
        int used = 0;
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, chunk.length);
            s.read(offset + done * 8L, raw, 0, n * 8);
            words.asLongBuffer().get(chunk, 0, n);
            int last = n - 1;
            while (last >= 0 && chunk[last] == 0) {
                last--;
            }
            if (last >= 0) {
                used = done + last + 1;
                if (used > out.length) {
                    out = java.util.Arrays.copyOf(out, (int) Math.min(count, Math.max(used, 2L * out.length)));
                }
                System.arraycopy(chunk, 0, out, done, last + 1);
            }
            done += n;
        }
        return used == out.length ? out : java.util.Arrays.copyOf(out, used);
    }
}

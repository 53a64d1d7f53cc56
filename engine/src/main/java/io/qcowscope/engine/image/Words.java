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
}

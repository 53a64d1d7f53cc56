package io.qcowscope.engine.image;

import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads tables of big-endian 64-bit words (L1, L2, refcount table). */
final class Words {
    private Words() {
    }

    static long[] read(Storage s, long offset, int count) throws IOException {
        byte[] raw = s.read(offset, count * 8);
        long[] out = new long[count];
        ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(out);
        return out;
    }
}

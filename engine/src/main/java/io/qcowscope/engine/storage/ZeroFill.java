package io.qcowscope.engine.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Zeros into part of a byte buffer, heap or direct, without allocating. */
public final class ZeroFill {
    private static final byte[] ZEROS = new byte[64 << 10];

    private ZeroFill() {
    }

    /** Zeros {@code [from, to)} of {@code b} (absolute indexes; position and limit unchanged). */
    public static void fill(ByteBuffer b, int from, int to) {
        if (b.hasArray()) {
            Arrays.fill(b.array(), b.arrayOffset() + from, b.arrayOffset() + to, (byte) 0);
            return;
        }
        for (int i = from; i < to; i += ZEROS.length) {
            b.put(i, ZEROS, 0, Math.min(ZEROS.length, to - i));
        }
    }
}

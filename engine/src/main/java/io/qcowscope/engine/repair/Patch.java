package io.qcowscope.engine.repair;

import java.util.Arrays;
import java.util.HexFormat;

/** Bytes a fix writes: at {@code offset}, {@code before} is expected and {@code after} is written. */
public record Patch(long offset, byte[] before, byte[] after) {

    public Patch {
        if (before.length != after.length) {
            throw new IllegalArgumentException("a patch keeps its length");
        }
        before = before.clone();
        after = after.clone();
    }

    @Override
    public byte[] before() {
        return before.clone();
    }

    @Override
    public byte[] after() {
        return after.clone();
    }

    public int length() {
        return before.length;
    }

    public String beforeHex() {
        return HexFormat.of().formatHex(before);
    }

    public String afterHex() {
        return HexFormat.of().formatHex(after);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Patch p && p.offset == offset && Arrays.equals(p.before, before)
                && Arrays.equals(p.after, after);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(after);
    }

    /** An 8-byte big-endian word replaced by another. */
    public static Patch word(long offset, long before, long after) {
        return new Patch(offset, be(before), be(after));
    }

    static byte[] be(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }
}

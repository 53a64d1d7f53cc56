package io.qcowscope.engine.repair;

import io.qcowscope.engine.host.HostClusterRole;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Bytes a fix writes: at {@code offset}, {@code before} is expected and {@code after} is written, inside a structure of role
 * {@code into} (what the overlap guard checks the target against).
 */
public record Patch(long offset, byte[] before, byte[] after, HostClusterRole into) {

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
                && Arrays.equals(p.after, after) && p.into == into;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(after);
    }

    /** An 8-byte big-endian word of a structure of role {@code into} replaced by another. */
    public static Patch word(HostClusterRole into, long offset, long before, long after) {
        return new Patch(offset, be(before), be(after), into);
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

package io.qcowscope.engine.write;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

/** The deterministic operation stream of the crash test, shared by the writer child and the checking parent. */
final class CrashOps {
    private CrashOps() {
    }

    enum Kind { WRITE, ZERO, ZERO_UNMAP, DISCARD }

    record Op(Kind kind, long offset, int length, byte value) {
        void applyTo(WritableImage w) throws IOException {
            switch (kind) {
                case WRITE -> {
                    byte[] b = new byte[length];
                    Arrays.fill(b, value);
                    w.write(offset, b);
                }
                case ZERO -> w.writeZeroes(offset, length, false);
                case ZERO_UNMAP -> w.writeZeroes(offset, length, true);
                case DISCARD -> w.discard(offset, length);
            }
        }

        /** The guest bytes this operation may change (discard: whole clusters only). */
        long[] touched(long disk, long cs) {
            if (kind == Kind.DISCARD) {
                long s = (offset + cs - 1) / cs * cs;
                long e = offset + length == disk ? disk : (offset + length) / cs * cs;
                return new long[]{s, Math.max(s, e)};
            }
            return new long[]{offset, offset + length};
        }

        void applyTo(byte[] model, long cs) {
            long[] t = touched(model.length, cs);
            byte v = kind == Kind.WRITE ? value : 0;
            Arrays.fill(model, (int) t[0], (int) t[1], v);
        }
    }

    static Op next(Random r, long disk, long cs) {
        long off = r.nextBoolean() ? (long) r.nextInt((int) (disk / 512)) * 512 : r.nextInt((int) disk);
        int len = 1 + r.nextInt((int) Math.min(disk - off, 3 * Math.max(cs, 4096)));
        int k = r.nextInt(10);
        Kind kind = k < 7 ? Kind.WRITE : k == 7 ? Kind.ZERO : k == 8 ? Kind.ZERO_UNMAP : Kind.DISCARD;
        return new Op(kind, off, len, (byte) (1 + r.nextInt(255)));
    }
}

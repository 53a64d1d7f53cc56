package io.qcowscope.engine.compress;

/**
 * Finds where a zstd frame ends without decoding it (RFC 8878 section 3.1), so frames can be decoded one at a time and
 * trailing bytes ignored.
 */
final class ZstdFrames {
    private static final int MAGIC = 0xFD2FB528;
    private static final int SKIPPABLE_MASK = 0xFFFFFFF0;
    private static final int SKIPPABLE_MAGIC = 0x184D2A50;

    private ZstdFrames() {
    }

    static boolean isSkippable(byte[] b, int at) {
        return at + 4 <= b.length && (le32(b, at) & SKIPPABLE_MASK) == SKIPPABLE_MAGIC;
    }

    /** Length of the frame starting at {@code at}, bounded by {@code limit}. */
    static int frameLength(byte[] b, int at, int limit) throws CompressedDataException {
        need(at, 4, limit);
        int magic = le32(b, at);
        if ((magic & SKIPPABLE_MASK) == SKIPPABLE_MAGIC) {
            need(at, 8, limit);
            long size = le32(b, at + 4) & 0xFFFFFFFFL;
            long end = at + 8L + size;
            if (end > limit) {
                throw new CompressedDataException("zstd skippable frame runs past the stream");
            }
            return (int) (end - at);
        }
        if (magic != MAGIC) {
            throw new CompressedDataException("bad zstd frame magic 0x" + Integer.toHexString(magic));
        }
        int p = at + 4;
        need(p, 1, limit);
        int fhd = b[p] & 0xFF;
        int fcsFlag = fhd >>> 6;
        boolean singleSegment = (fhd & 0x20) != 0;
        boolean checksum = (fhd & 0x04) != 0;
        int dictFlag = fhd & 3;
        if ((fhd & 0x08) != 0) {
            throw new CompressedDataException("zstd frame header has the reserved bit set");
        }
        p += 1;
        if (!singleSegment) {
            p += 1;
        }
        p += new int[]{0, 1, 2, 4}[dictFlag];
        p += switch (fcsFlag) {
            case 0 -> singleSegment ? 1 : 0;
            case 1 -> 2;
            case 2 -> 4;
            default -> 8;
        };
        while (true) {
            need(p, 3, limit);
            int header = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16);
            boolean last = (header & 1) != 0;
            int type = (header >>> 1) & 3;
            int size = header >>> 3;
            p += 3;
            int payload = switch (type) {
                case 0, 2 -> size;
                case 1 -> 1;
                default -> throw new CompressedDataException("zstd block with reserved type");
            };
            need(p, payload, limit);
            p += payload;
            if (last) {
                break;
            }
        }
        if (checksum) {
            need(p, 4, limit);
            p += 4;
        }
        return p - at;
    }

    private static void need(int at, int n, int limit) throws CompressedDataException {
        if ((long) at + n > limit) {
            throw new CompressedDataException("zstd frame runs past the end of the stored stream");
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 3] & 0xFF) << 24);
    }
}

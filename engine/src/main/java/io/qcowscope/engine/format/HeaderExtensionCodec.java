package io.qcowscope.engine.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Walks the header extension area (spec 2.1) with QEMU's bounds, rejecting duplicates and malformed records. */
public final class HeaderExtensionCodec {
    private static final Structure AREA = Structure.HEADER_EXTENSION;

    private HeaderExtensionCodec() {
    }

    /** The area ends at the backing file name when there is one, else at the end of cluster 0 (spec 2.1). */
    public static long areaEnd(Qcow2Header h) {
        return h.backingFileOffset() != 0 ? h.backingFileOffset() : h.clusterSize();
    }

    /** Where the area starts: header_length for v3, byte 72 for v2. */
    public static long areaStart(Qcow2Header h) {
        return h.version() == 2 ? Qcow2Header.V2_LENGTH : h.headerLength();
    }

    /**
     * Decodes the extensions.
     *
     * @param cluster0 the bytes of cluster 0 (or of the whole file when it is shorter); bytes past its end read as zero
     */
    public static List<HeaderExtension> decode(byte[] cluster0, Qcow2Header h) throws Qcow2FormatException {
        long start = areaStart(h);
        long end = areaEnd(h);
        List<HeaderExtension> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        long off = start;
        while (off < end) {
            long recordStart = off;
            if (end - off < 8) {
                throw new Qcow2FormatException(AREA, off, "Header extension too large (no room for its 8-byte prefix)");
            }
            int type = readInt(cluster0, off);
            long len = readInt(cluster0, off + 4) & 0xFFFFFFFFL;
            off += 8;
            if (len > end - off) {
                throw new Qcow2FormatException(AREA, recordStart, "Header extension too large (type 0x"
                        + Integer.toHexString(type) + ", length " + len + ", " + (end - off) + " bytes left)");
            }
            if (type == HeaderExtension.TYPE_END) {
                break;
            }
            if (!seen.add(type)) {
                throw new Qcow2FormatException(AREA, recordStart, "duplicate header extension of type 0x"
                        + Integer.toHexString(type));
            }
            byte[] data = slice(cluster0, off, (int) len);
            out.add(decodeOne(recordStart, type, data, h));
            off += (len + 7) & ~7L;
        }
        return out;
    }

    private static HeaderExtension decodeOne(long at, int type, byte[] data, Qcow2Header h) throws Qcow2FormatException {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        switch (type) {
            case HeaderExtension.TYPE_BACKING_FORMAT -> {
                if (data.length > Limits.MAX_BACKING_FORMAT_NAME) {
                    throw new Qcow2FormatException(Structure.BACKING_FORMAT_EXTENSION, at,
                            "ERROR: ext_backing_format: len=" + data.length + " too large (max "
                                    + Limits.MAX_BACKING_FORMAT_NAME + ")");
                }
                return new HeaderExtension.BackingFormat(at, data.length, ascii(data));
            }
            case HeaderExtension.TYPE_FEATURE_NAME_TABLE -> {
                List<HeaderExtension.FeatureName> names = new ArrayList<>();
                for (int i = 0; i + 48 <= data.length; i += 48) {
                    int word = data[i] & 0xFF;
                    int bit = data[i + 1] & 0xFF;
                    int n = 0;
                    while (n < 46 && data[i + 2 + n] != 0) {
                        n++;
                    }
                    names.add(new HeaderExtension.FeatureName(word, bit,
                            new String(data, i + 2, n, StandardCharsets.UTF_8)));
                }
                return new HeaderExtension.FeatureNameTable(at, data.length, names);
            }
            case HeaderExtension.TYPE_BITMAPS -> {
                if (data.length != 24) {
                    throw new Qcow2FormatException(Structure.BITMAPS_EXTENSION, at,
                            "bitmaps_ext: Invalid extension length " + data.length + " (must be 24)");
                }
                long nb = b.getInt(0) & 0xFFFFFFFFL;
                long reserved = b.getInt(4) & 0xFFFFFFFFL;
                long dirSize = b.getLong(8);
                long dirOffset = b.getLong(16);
                if (reserved != 0) {
                    throw new Qcow2FormatException(Structure.BITMAPS_EXTENSION, at + 12, "bitmaps_ext: Reserved field is not zero");
                }
                if (nb == 0 || nb > Limits.MAX_BITMAPS) {
                    throw new Qcow2FormatException(Structure.BITMAPS_EXTENSION, at + 8, "bitmaps_ext: invalid number of bitmaps " + nb);
                }
                if (dirSize < 0 || dirSize > Limits.MAX_BITMAP_DIRECTORY_BYTES) {
                    throw new Qcow2FormatException(Structure.BITMAPS_EXTENSION, at + 16,
                            "bitmaps_ext: bitmap directory size " + Long.toUnsignedString(dirSize) + " is too large");
                }
                if ((dirOffset & (h.clusterSize() - 1)) != 0 || dirOffset < 0) {
                    throw new Qcow2FormatException(Structure.BITMAPS_EXTENSION, at + 24,
                            "bitmaps_ext: invalid bitmap directory offset 0x" + Long.toHexString(dirOffset));
                }
                return new HeaderExtension.Bitmaps(at, data.length, nb, dirSize, dirOffset);
            }
            case HeaderExtension.TYPE_FULL_DISK_ENCRYPTION -> {
                if (data.length != 16) {
                    throw new Qcow2FormatException(Structure.ENCRYPTION_HEADER_POINTER, at,
                            "Invalid encryption header pointer length " + data.length + " (must be 16)");
                }
                if (h.cryptMethod() != 2) {
                    throw new Qcow2FormatException(Structure.ENCRYPTION_HEADER_POINTER, at,
                            "Unexpected crypto header extension for a non-LUKS image");
                }
                long areaOffset = b.getLong(0);
                long areaLength = b.getLong(8);
                if ((areaOffset & (h.clusterSize() - 1)) != 0 || areaOffset < 0 || areaLength < 0
                        || areaOffset > Long.MAX_VALUE - areaLength) {
                    throw new Qcow2FormatException(Structure.ENCRYPTION_HEADER_POINTER, at + 8,
                            "Invalid encryption header offset 0x" + Long.toHexString(areaOffset));
                }
                return new HeaderExtension.FullDiskEncryption(at, data.length, areaOffset, areaLength);
            }
            case HeaderExtension.TYPE_DATA_FILE_NAME -> {
                return new HeaderExtension.DataFileName(at, data.length, new String(data, StandardCharsets.UTF_8));
            }
            default -> {
                return new HeaderExtension.Unknown(at, type, data);
            }
        }
    }

    private static String ascii(byte[] data) {
        int n = 0;
        while (n < data.length && data[n] != 0) {
            n++;
        }
        return new String(data, 0, n, StandardCharsets.US_ASCII);
    }

    private static int readInt(byte[] a, long off) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            long p = off + i;
            v = (v << 8) | (p < a.length ? (a[(int) p] & 0xFF) : 0);
        }
        return v;
    }

    private static byte[] slice(byte[] a, long off, int len) {
        byte[] out = new byte[len];
        if (off < a.length) {
            System.arraycopy(a, (int) off, out, 0, (int) Math.min(len, a.length - off));
        }
        return out;
    }
}

package io.qcowscope.engine.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes and encodes the fixed header of cluster 0 (spec 1.1) and applies QEMU's open-time validation in
 * QEMU's order (spec 1.2), so that the first rule an image breaks is the one reported.
 */
public final class HeaderCodec {
    private static final Structure HEADER = Structure.HEADER;

    private HeaderCodec() {
    }

    /** How much of the file start a caller must supply: the header is at most one cluster, but 112 bytes tell the rest. */
    public static final int PROBE_LENGTH = Qcow2Header.V3_LENGTH;

    /**
     * Decodes and validates the header.
     *
     * @param bytes     the first bytes of the file, at least {@link #PROBE_LENGTH} or the whole file if shorter; more
     *                  (up to one cluster) is needed to read unknown header fields
     * @param checkMode QEMU's check open mode: tolerates a missing refcount table and does not validate the snapshot
     *                  table location (spec 5.1)
     */
    public static Qcow2Header decode(byte[] bytes, boolean checkMode) throws Qcow2FormatException, UnsupportedImageException {
        if (bytes.length < Qcow2Header.V2_LENGTH) {
            throw new Qcow2FormatException(HEADER, 0, "file is too short for a qcow2 header (" + bytes.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (b.getInt(0) != Qcow2Header.MAGIC) {
            throw new Qcow2FormatException(HEADER, 0, "not in qcow2 format (bad magic 0x"
                    + Integer.toHexString(b.getInt(0)) + ")");
        }
        int version = b.getInt(4);
        if (version != 2 && version != 3) {
            throw new UnsupportedImageException(HEADER, 4, "Unsupported qcow2 version " + Integer.toUnsignedString(version));
        }
        long clusterBitsRaw = u32(b, 20);
        if (clusterBitsRaw < Limits.MIN_CLUSTER_BITS || clusterBitsRaw > Limits.MAX_CLUSTER_BITS) {
            throw new UnsupportedImageException(HEADER, 20, "Unsupported cluster size: 2^" + clusterBitsRaw);
        }
        int clusterBits = (int) clusterBitsRaw;
        long cs = 1L << clusterBits;

        long incompatible = 0;
        long compatible = 0;
        long autoclear = 0;
        long refcountOrder = 4;
        long headerLength = Qcow2Header.V2_LENGTH;
        if (version == 3) {
            if (bytes.length < Qcow2Header.V3_MIN_LENGTH) {
                throw new Qcow2FormatException(HEADER, 0, "file is too short for a version 3 header");
            }
            incompatible = b.getLong(72);
            compatible = b.getLong(80);
            autoclear = b.getLong(88);
            refcountOrder = u32(b, 96);
            headerLength = u32(b, 100);
            if (headerLength < Qcow2Header.V3_MIN_LENGTH) {
                throw new Qcow2FormatException(HEADER, 100, "qcow2 header too short (header_length " + headerLength + ")");
            }
        }
        if (headerLength > cs) {
            throw new Qcow2FormatException(HEADER, 100, "qcow2 header exceeds cluster size (header_length "
                    + headerLength + ")");
        }
        if (headerLength % 8 != 0) {
            throw new Qcow2FormatException(HEADER, 100, "header_length " + headerLength + " is not a multiple of 8");
        }
        long backingFileOffset = b.getLong(8);
        if (Long.compareUnsigned(backingFileOffset, cs) > 0) {
            throw new Qcow2FormatException(HEADER, 8, "Invalid backing file offset 0x" + Long.toHexString(backingFileOffset));
        }

        CompressionType compression = CompressionType.ZLIB;
        if (headerLength > Qcow2Header.V3_MIN_LENGTH) {
            if (bytes.length <= Qcow2Header.V3_MIN_LENGTH) {
                throw new Qcow2FormatException(HEADER, 104, "file ends inside the header");
            }
            int code = bytes[104] & 0xFF;
            boolean bit3 = (incompatible & FeatureBit.COMPRESSION_TYPE.mask()) != 0;
            if (code == 0 && bit3) {
                throw new Qcow2FormatException(HEADER, 72,
                        "compression_type is zlib but the compression type bit must not be set");
            }
            if (code != 0 && !bit3) {
                throw new Qcow2FormatException(HEADER, 104,
                        "compression_type is not zlib but the compression type bit must be set");
            }
            compression = CompressionType.ofCode(code);
            if (compression == null) {
                throw new UnsupportedImageException(HEADER, 104, "unknown compression type " + code);
            }
        } else if ((incompatible & FeatureBit.COMPRESSION_TYPE.mask()) != 0) {
            throw new Qcow2FormatException(HEADER, 72, "compression type bit is set but the header has no compression_type field");
        }

        boolean extendedL2 = (incompatible & FeatureBit.EXTENDED_L2.mask()) != 0;
        if (extendedL2 && clusterBits < Limits.MIN_EXTENDED_L2_CLUSTER_BITS) {
            throw new UnsupportedImageException(HEADER, 72, "Unsupported subcluster size: " + (cs / 32));
        }
        if (refcountOrder > Limits.MAX_REFCOUNT_ORDER) {
            throw new UnsupportedImageException(HEADER, 96, "Reference count entry width too large; may not exceed 64 bits");
        }
        long cryptMethod = u32(b, 32);
        if (cryptMethod > 2) {
            throw new UnsupportedImageException(HEADER, 32, "Unsupported encryption method: " + cryptMethod);
        }

        long reftableOffset = b.getLong(48);
        long reftableClusters = u32(b, 56);
        if (reftableClusters == 0 && !checkMode) {
            throw new Qcow2FormatException(HEADER, 56, "Image does not contain a reference count table");
        }
        if (reftableClusters > Limits.MAX_REFTABLE_BYTES / cs) {
            throw new Qcow2FormatException(HEADER, 56, "Reference count table too large (" + reftableClusters + " clusters)");
        }
        if (!checkMode || reftableClusters != 0) {
            validateTableOffset(reftableOffset, reftableClusters * cs, cs, 48, "Reference count table offset invalid");
        }

        long nbSnapshots = u32(b, 60);
        long snapshotsOffset = b.getLong(64);
        if (!checkMode) {
            if (nbSnapshots > Limits.MAX_SNAPSHOTS) {
                throw new Qcow2FormatException(HEADER, 60, "Snapshot table too large (" + nbSnapshots + " snapshots)");
            }
            // QEMU checks the alignment even when there are no snapshots (spec 1.1).
            validateTableOffset(snapshotsOffset, nbSnapshots * 40, cs, 64, "Snapshot table offset invalid");
        }

        long l1Size = u32(b, 36);
        long l1Offset = b.getLong(40);
        if (l1Size > Limits.MAX_L1_ENTRIES) {
            throw new Qcow2FormatException(HEADER, 36, "Active L1 table too large (" + l1Size + " entries)");
        }
        validateTableOffset(l1Offset, l1Size * 8, cs, 40, "Active L1 table offset invalid");
        long size = b.getLong(24);
        if (size < 0) {
            throw new Qcow2FormatException(HEADER, 24, "virtual size 0x" + Long.toHexString(size) + " is too large");
        }
        int l2Bits = clusterBits - (extendedL2 ? 4 : 3);
        long bytesPerL1 = 1L << (clusterBits + l2Bits);
        long neededL1 = ceilDiv(size, bytesPerL1);
        if (neededL1 > Integer.MAX_VALUE) {
            throw new Qcow2FormatException(HEADER, 24, "Image is too big");
        }
        if (neededL1 > l1Size) {
            throw new Qcow2FormatException(HEADER, 36, "L1 table is too small (" + l1Size + " entries, "
                    + neededL1 + " needed for the virtual size)");
        }

        long backingFileSize = u32(b, 16);
        if (backingFileOffset != 0) {
            if (backingFileSize > Limits.MAX_BACKING_FILE_NAME || backingFileSize > cs - backingFileOffset) {
                throw new Qcow2FormatException(HEADER, 16, "Backing file name too long (" + backingFileSize + " bytes)");
            }
        } else {
            backingFileSize = 0;
        }

        byte[] unknown = new byte[0];
        if (headerLength > Qcow2Header.V3_LENGTH) {
            int n = (int) (headerLength - Qcow2Header.V3_LENGTH);
            if (bytes.length >= headerLength) {
                unknown = new byte[n];
                System.arraycopy(bytes, Qcow2Header.V3_LENGTH, unknown, 0, n);
            }
        }
        return new Qcow2Header(version, backingFileOffset, backingFileSize, clusterBits, size, cryptMethod, l1Size,
                l1Offset, reftableOffset, reftableClusters, nbSnapshots, snapshotsOffset, incompatible, compatible,
                autoclear, (int) refcountOrder, headerLength, compression, unknown);
    }

    private static void validateTableOffset(long offset, long bytes, long cs, int field, String message)
            throws Qcow2FormatException {
        if ((offset & (cs - 1)) != 0 || offset < 0 || offset > Long.MAX_VALUE - bytes) {
            throw new Qcow2FormatException(HEADER, field, message + " (0x" + Long.toHexString(offset) + ")");
        }
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xFFFFFFFFL;
    }

    /** Encodes the fixed fields: 72 bytes for v2, {@code headerLength} bytes for v3 (unknown fields re-emitted). */
    public static byte[] encode(Qcow2Header h) {
        int len = h.version() == 2 ? Qcow2Header.V2_LENGTH : (int) h.headerLength();
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0, Qcow2Header.MAGIC);
        b.putInt(4, h.version());
        b.putLong(8, h.backingFileOffset());
        b.putInt(16, (int) h.backingFileSize());
        b.putInt(20, h.clusterBits());
        b.putLong(24, h.size());
        b.putInt(32, (int) h.cryptMethod());
        b.putInt(36, (int) h.l1Size());
        b.putLong(40, h.l1TableOffset());
        b.putLong(48, h.refcountTableOffset());
        b.putInt(56, (int) h.refcountTableClusters());
        b.putInt(60, (int) h.nbSnapshots());
        b.putLong(64, h.snapshotsOffset());
        if (h.version() == 3) {
            b.putLong(72, h.incompatibleFeatures());
            b.putLong(80, h.compatibleFeatures());
            b.putLong(88, h.autoclearFeatures());
            b.putInt(96, h.refcountOrder());
            b.putInt(100, (int) h.headerLength());
            if (len > Qcow2Header.V3_MIN_LENGTH) {
                b.put(104, (byte) h.compressionType().code());
            }
            byte[] unknown = h.unknownHeaderFields();
            if (unknown.length > 0 && len >= Qcow2Header.V3_LENGTH + unknown.length) {
                b.put(Qcow2Header.V3_LENGTH, unknown);
            }
        }
        return b.array();
    }
}

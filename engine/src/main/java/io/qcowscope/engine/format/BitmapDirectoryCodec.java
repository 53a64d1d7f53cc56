package io.qcowscope.engine.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Walks the bitmap directory (spec 2.3) with QEMU's rules: the walk must end exactly at the directory end. */
public final class BitmapDirectoryCodec {
    private static final Structure DIR = Structure.BITMAP_DIRECTORY;
    private static final int FIXED = 24;
    private static final int MIN_GRANULARITY_BITS = 9;
    private static final int MAX_GRANULARITY_BITS = 31;

    private BitmapDirectoryCodec() {
    }

    public static List<BitmapDirectoryEntry> decode(ByteSource src, HeaderExtension.Bitmaps ext, Geometry g,
            long virtualSize) throws IOException {
        long size = ext.directorySize();
        byte[] dir = src.read(ext.directoryOffset(), (int) size);
        List<BitmapDirectoryEntry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int pos = 0;
        while (pos < size) {
            long at = ext.directoryOffset() + pos;
            if (size - pos < FIXED) {
                throw new Qcow2FormatException(DIR, at, "Broken bitmap directory (entry runs past the end)");
            }
            ByteBuffer b = ByteBuffer.wrap(dir, pos, FIXED).order(ByteOrder.BIG_ENDIAN);
            long tableOffset = b.getLong(pos);
            long tableSize = b.getInt(pos + 8) & 0xFFFFFFFFL;
            int flags = b.getInt(pos + 12);
            int type = dir[pos + 16] & 0xFF;
            int gran = dir[pos + 17] & 0xFF;
            int nameSize = b.getShort(pos + 18) & 0xFFFF;
            long extra = b.getInt(pos + 20) & 0xFFFFFFFFL;
            long entryLen = (FIXED + extra + nameSize + 7) & ~7L;
            if (entryLen > size - pos) {
                throw new Qcow2FormatException(DIR, at, "Broken bitmap directory (entry runs past the end)");
            }
            if (extra != 0) {
                throw new Qcow2FormatException(DIR, at + 20, "Bitmap extra data is not supported");
            }
            String name = new String(dir, pos + FIXED + (int) extra, nameSize, StandardCharsets.UTF_8);
            String why = null;
            if (tableSize == 0 || tableSize > Limits.MAX_BITMAP_TABLE_ENTRIES) {
                why = "bitmap table size " + tableSize + " is invalid";
            } else if (tableOffset == 0 || (tableOffset & g.clusterMask()) != 0 || tableOffset < 0) {
                why = "bitmap table offset 0x" + Long.toHexString(tableOffset) + " is invalid";
            } else if (gran < MIN_GRANULARITY_BITS || gran > MAX_GRANULARITY_BITS) {
                why = "granularity_bits " + gran + " is out of range";
            } else if ((flags & ~(BitmapDirectoryEntry.FLAG_IN_USE | BitmapDirectoryEntry.FLAG_AUTO)) != 0) {
                why = "reserved flags 0x" + Integer.toHexString(flags) + " are set";
            } else if (nameSize == 0 || nameSize > Limits.MAX_BITMAP_NAME) {
                why = "name length " + nameSize + " is invalid";
            } else if (type != 1) {
                why = "type " + type + " is not a dirty tracking bitmap";
            } else if (tableSize * g.clusterSize() > Limits.MAX_BITMAP_TABLE_PHYS_BYTES) {
                why = "bitmap data of " + tableSize + " clusters is too large";
            } else if ((flags & BitmapDirectoryEntry.FLAG_IN_USE) == 0
                    && (double) virtualSize > (double) (tableSize * g.clusterSize() * 8) * Math.pow(2, gran)) {
                why = "bitmap table is too small for the virtual size";
            } else if (!names.add(name)) {
                why = "duplicate bitmap name '" + name + "'";
            }
            if (why != null) {
                throw new Qcow2FormatException(DIR, at, "bitmap " + out.size() + ": " + why);
            }
            out.add(new BitmapDirectoryEntry(out.size(), at, tableOffset, tableSize, flags, type, gran, name, extra));
            pos += (int) entryLen;
        }
        if (out.size() != ext.nbBitmaps()) {
            throw new Qcow2FormatException(DIR, ext.directoryOffset(), (out.size() < ext.nbBitmaps() ? "Less" : "More")
                    + " bitmaps found than specified in header extension (" + out.size() + " vs " + ext.nbBitmaps() + ")");
        }
        return out;
    }
}

package io.qcowscope.engine.format;

import java.util.List;

/** One header extension record of cluster 0 (spec 2.1). {@code offset} is where its 8-byte type/length prefix starts. */
public sealed interface HeaderExtension {
    int TYPE_END = 0x00000000;
    int TYPE_BACKING_FORMAT = 0xE2792ACA;
    int TYPE_FEATURE_NAME_TABLE = 0x6803F857;
    int TYPE_BITMAPS = 0x23852875;
    int TYPE_FULL_DISK_ENCRYPTION = 0x0537BE77;
    int TYPE_DATA_FILE_NAME = 0x44415441;

    long offset();

    int type();

    /** Length of the data part, without the prefix and padding. */
    int length();

    /** A short human name of the extension kind. */
    String kind();

    record BackingFormat(long offset, int length, String format) implements HeaderExtension {
        public int type() {
            return TYPE_BACKING_FORMAT;
        }

        public String kind() {
            return "backing file format";
        }
    }

    record FeatureNameTable(long offset, int length, List<FeatureName> names) implements HeaderExtension {
        public FeatureNameTable {
            names = List.copyOf(names);
        }

        public int type() {
            return TYPE_FEATURE_NAME_TABLE;
        }

        public String kind() {
            return "feature name table";
        }

        /** The name this table gives a bit, or null. */
        public String nameOf(FeatureWord word, int bit) {
            for (FeatureName n : names) {
                if (n.wordCode() == word.code() && n.bit() == bit) {
                    return n.name();
                }
            }
            return null;
        }
    }

    /** One 48-byte feature name table entry (spec 2.2); the word code may be outside 0..2 in a hostile image. */
    record FeatureName(int wordCode, int bit, String name) {
    }

    record Bitmaps(long offset, int length, long nbBitmaps, long directorySize, long directoryOffset)
            implements HeaderExtension {
        public int type() {
            return TYPE_BITMAPS;
        }

        public String kind() {
            return "bitmaps";
        }
    }

    record FullDiskEncryption(long offset, int length, long areaOffset, long areaLength) implements HeaderExtension {
        public int type() {
            return TYPE_FULL_DISK_ENCRYPTION;
        }

        public String kind() {
            return "full disk encryption header pointer";
        }
    }

    record DataFileName(long offset, int length, String name) implements HeaderExtension {
        public int type() {
            return TYPE_DATA_FILE_NAME;
        }

        public String kind() {
            return "external data file name";
        }
    }

    /** An extension QEMU 7.2 does not know; kept verbatim so a writer can re-emit it. */
    record Unknown(long offset, int type, byte[] data) implements HeaderExtension {
        public Unknown {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int length() {
            return data.length;
        }

        public String kind() {
            return "unknown (0x" + Integer.toHexString(type) + ")";
        }
    }
}

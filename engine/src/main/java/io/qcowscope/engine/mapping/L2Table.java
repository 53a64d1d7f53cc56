package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An immutable view of one L2 table's raw words (spec 3.3, 3.5): a standard table is one word per entry; with extended L2,
 * entry i is word {@code 2i} and its subcluster bitmap word {@code 2i+1}. The only place that knows the stride. No object
 * per entry: bulk scans read words by index.
 */
public final class L2Table {
    private final long[] words;
    private final Geometry geo;
    /** Copied from the geometry: the stride is read for every entry of a scan. */
    private final boolean extended;
    private final boolean dataFile;
    private final long offset;

    private L2Table(long[] words, Geometry geo, boolean dataFile, long offset) {
        if (words.length != geo.clusterSize() / 8) {
            throw new IllegalArgumentException("an L2 table is one cluster: " + words.length + " words");
        }
        this.words = words;
        this.geo = geo;
        this.extended = geo.extendedL2();
        this.dataFile = dataFile;
        this.offset = offset;
    }

    /**
     * A view over {@code words} (not copied: the owner of the array must not change it while the view is in use, except
     * through an {@link L2TableEdit} of the same array).
     *
     * @param offset the table's host offset, for error messages and {@link #entryOffset(int)}
     */
    public static L2Table of(long[] words, Geometry geo, boolean dataFile, long offset) {
        return new L2Table(words, geo, dataFile, offset);
    }

    /**
     * Reads the table at {@code offset} straight from {@code file} into {@code words} (no cache: for one-pass scans that
     * reuse their buffers); {@code raw} is a cluster-sized scratch buffer.
     */
    public static L2Table read(Storage file, Geometry geo, boolean dataFile, long offset, byte[] raw, long[] words)
            throws IOException {
        file.read(offset, raw, 0, raw.length);
        ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(words);
        return new L2Table(words, geo, dataFile, offset);
    }

    /** The words of an empty table (all entries unallocated). */
    public static long[] emptyWords(Geometry geo) {
        return new long[(int) (geo.clusterSize() / 8)];
    }

    public long offset() {
        return offset;
    }

    public Geometry geometry() {
        return geo;
    }

    public boolean dataFile() {
        return dataFile;
    }

    public int entries() {
        return geo.l2Entries();
    }

    /** The host offset of entry {@code i} itself in the image file. */
    public long entryOffset(int i) {
        return offset + (long) i * geo.l2EntrySize();
    }

    /** The descriptor word of entry {@code i}. */
    public long word0(int i) {
        return extended ? words[2 * i] : words[i];
    }

    /** The subcluster bitmap word of entry {@code i}; 0 without extended L2. */
    public long bitmap(int i) {
        return extended ? words[2 * i + 1] : 0;
    }

    /** Both words are zero: nothing allocated, nothing to check. */
    public boolean isEmpty(int i) {
        return word0(i) == 0 && bitmap(i) == 0;
    }

    public ClusterType clusterType(int i) {
        return L2Entry.clusterType(word0(i), extended, dataFile);
    }

    public SubclusterType subclusterType(int i, int sc) {
        return L2Entry.subclusterType(word0(i), bitmap(i), sc, extended, dataFile);
    }

    /** How many subclusters from {@code sc} on share its type; -1 for an INVALID entry. */
    public int subclusterRun(int i, int sc) {
        return L2Entry.subclusterRun(word0(i), bitmap(i), sc, extended, dataFile);
    }

    /** The host cluster offset field (bits 9-55) of a standard descriptor; meaningless for a compressed one. */
    public long hostOffset(int i) {
        return L2Entry.hostOffset(word0(i));
    }

    public boolean compressed(int i) {
        return L2Entry.isCompressed(word0(i));
    }

    /** The compressed-cluster descriptor of entry {@code i} (spec 3.4); only for a compressed entry. */
    public CompressedDescriptor compressedDescriptor(int i) {
        return CompressedDescriptor.decode(word0(i), geo.clusterBits());
    }

    /** Entry {@code i} as a value (one object: for single lookups and dumps, not bulk scans). */
    public L2Entry entry(int i) {
        return new L2Entry(word0(i), bitmap(i), extended);
    }
}

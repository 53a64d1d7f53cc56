package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.mapping.L2Source;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.mapping.L2TableEdit;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The active L1 table and a write-back cache of L2 tables (spec 3.1-3.5). Modified tables stay in memory until
 * {@link WriteOrdering} writes them, after the refcount blocks they depend on and the data they expose are on disk;
 * L1 entries are written after the L2 tables they point at (spec B.3 step 3).
 */
final class L2Updater implements L2Source {
    private final Storage storage;
    private final Geometry geo;
    private long[] l1;
    private long l1Offset;
    private final Set<Integer> dirtyL1 = new LinkedHashSet<>();
    private final LinkedHashMap<Long, long[]> tables = new LinkedHashMap<>(64, 0.75f, true);
    private final Set<Long> dirtyTables = new LinkedHashSet<>();
    private final int cleanCapacity;

    L2Updater(Storage storage, Geometry geo, long[] l1, long l1Offset, long cacheBytes) {
        this.storage = storage;
        this.geo = geo;
        this.l1 = l1;
        this.l1Offset = l1Offset;
        this.cleanCapacity = (int) Math.max(8, cacheBytes / geo.clusterSize());
    }

    long[] l1() {
        return l1;
    }

    @Override
    public long l1Offset() {
        return l1Offset;
    }

    @Override
    public int l1Size() {
        return l1.length;
    }

    void replaceL1(long[] table, long offset) {
        l1 = table;
        l1Offset = offset;
        dirtyL1.clear();
    }

    @Override
    public long l1Entry(long index) {
        return index < l1.length ? l1[(int) index] : 0;
    }

    void setL1Entry(int index, long value) {
        l1[index] = value;
        dirtyL1.add(index);
    }

    /** The L2 table at {@code offset} as it now stands in this cache (modified or not). */
    @Override
    public L2Table l2Table(long offset) throws IOException {
        return L2Table.of(words(offset), geo, false, offset);
    }

    /** Write access to the L2 table at {@code offset}; the caller marks it dirty after a change. */
    L2TableEdit edit(long offset) throws IOException {
        return new L2TableEdit(words(offset), geo, offset);
    }

    /** A copy of the words of the table at {@code offset}, for a new table that starts as its copy (COW of an L2). */
    long[] copyOf(long offset) throws IOException {
        return words(offset).clone();
    }

    private long[] words(long offset) throws IOException {
        long[] t = tables.get(offset);
        if (t == null) {
            if ((offset & geo.clusterMask()) != 0 || offset == 0) {
                throw new Qcow2FormatException(Structure.L1_TABLE, l1Offset, "L2 table offset 0x" + Long.toHexString(offset)
                        + " unaligned");
            }
            byte[] raw = storage.read(offset, (int) geo.clusterSize());
            t = new long[(int) (geo.clusterSize() / 8)];
            ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(t);
            tables.put(offset, t);
            evictClean();
        }
        return t;
    }

    /** Registers a new table (content given) as modified. */
    void install(long offset, long[] words) {
        tables.put(offset, words);
        dirtyTables.add(offset);
    }

    void markDirty(long offset) {
        dirtyTables.add(offset);
    }

    int dirtyTableCount() {
        return dirtyTables.size();
    }

    boolean dirty() {
        return !dirtyTables.isEmpty() || !dirtyL1.isEmpty();
    }

    void writeDirtyTables() throws IOException {
        List<long[]> ranges = new ArrayList<>(dirtyTables.size());
        for (long off : dirtyTables) {
            ranges.add(new long[]{off, (long) tables.get(off).length * 8});
        }
        storage.willWrite(ranges); // a journal records the whole stage with one sync
        for (long off : dirtyTables) {
            long[] t = tables.get(off);
            ByteBuffer bb = ByteBuffer.allocate(t.length * 8).order(ByteOrder.BIG_ENDIAN);
            bb.asLongBuffer().put(t);
            storage.write(off, bb.array(), 0, bb.capacity());
        }
        dirtyTables.clear();
        evictClean();
    }

    boolean l1Dirty() {
        return !dirtyL1.isEmpty();
    }

    /** Writes modified L1 entries (each a single 8-byte write, as qcow2_write_l1_entry's aligned block). */
    void writeDirtyL1() throws IOException {
        List<long[]> ranges = new ArrayList<>(dirtyL1.size());
        for (int i : dirtyL1) {
            ranges.add(new long[]{l1Offset + 8L * i, 8});
        }
        storage.willWrite(ranges); // a journal records the whole stage with one sync
        for (int i : dirtyL1) {
            byte[] b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(l1[i]).array();
            storage.write(l1Offset + 8L * i, b, 0, 8);
        }
        dirtyL1.clear();
    }

    /** Drops clean tables beyond the cache bound; modified ones stay until written. */
    private void evictClean() {
        if (tables.size() <= cleanCapacity) {
            return;
        }
        Iterator<Map.Entry<Long, long[]>> it = tables.entrySet().iterator();
        while (tables.size() > cleanCapacity && it.hasNext()) {
            if (!dirtyTables.contains(it.next().getKey())) {
                it.remove();
            }
        }
    }
}

package io.qcowscope.engine.image;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Looks up on-disk refcounts through the refcount table (spec 4.1), with a bounded cache of refcount blocks. */
public final class RefcountReader {
    private final Storage storage;
    private final Geometry geo;
    /** The refcount table's entries up to its last non-zero one; {@link #entries} says how many it has in all. */
    private final long[] reftable;
    private final int entries;
    private final long reftableOffset;
    private final LinkedHashMap<Long, byte[]> blocks;

    /**
     * @param inUse   the table's entries, of which those after the last non-zero one may be left out
     * @param entries the table's size in entries
     */
    RefcountReader(Storage storage, Geometry geo, long[] inUse, int entries, long reftableOffset, long cacheBytes) {
        this.storage = storage;
        this.geo = geo;
        int n = Math.min(inUse.length, entries);
        while (n > 0 && inUse[n - 1] == 0) {
            n--;
        }
        this.reftable = n == inUse.length ? inUse : java.util.Arrays.copyOf(inUse, n);
        this.entries = entries;
        this.reftableOffset = reftableOffset;
        int capacity = (int) Math.max(4, cacheBytes / geo.clusterSize());
        this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The raw refcount table entries (a copy). */
    public long[] reftable() {
        return java.util.Arrays.copyOf(reftable, entries);
    }

    /**
     * The raw refcount table entries up to the last non-zero one (a copy): what a reader of the table needs, since an
     * entry past the end and a zero entry both mean "no refcount block". A 2 MiB-cluster image's one-cluster table has
     * 262,144 entries and uses one or two.
     */
    public long[] reftableInUse() {
        return reftable.clone();
    }

    public int reftableEntries() {
        return entries;
    }

    public long reftableEntry(int index) {
        java.util.Objects.checkIndex(index, entries);
        return index < reftable.length ? reftable[index] : 0;
    }

    /** The on-disk refcount of host cluster {@code clusterIndex}; 0 where no refcount block covers it. */
    public long refcount(long clusterIndex) throws IOException {
        long r = clusterIndex >>> geo.refblockBits();
        if (r >= reftable.length) {
            return 0; // past the table, or a zero entry after the last one in use
        }
        long entry = reftable[(int) r];
        long blockOffset = ReftableEntry.blockOffset(entry);
        if (blockOffset == 0) {
            return 0;
        }
        if ((blockOffset & geo.clusterMask()) != 0) {
            throw new Qcow2FormatException(Structure.REFCOUNT_TABLE, reftableOffset + r * 8, "Refblock offset 0x"
                    + Long.toHexString(blockOffset) + " unaligned (reftable index: 0x" + Long.toHexString(r) + ")");
        }
        byte[] block = block(blockOffset);
        return RefcountBlockCodec.get(block, clusterIndex & (geo.refblockEntries() - 1), geo.refcountOrder());
    }

    /** The bytes of one refcount block (cached; callers must not modify them). */
    public synchronized byte[] block(long blockOffset) throws IOException {
        byte[] b = blocks.get(blockOffset);
        if (b == null) {
            b = storage.read(blockOffset, (int) geo.clusterSize());
            blocks.put(blockOffset, b);
        }
        return b;
    }

    public synchronized void invalidate() {
        blocks.clear();
    }
}

package io.qcowscope.engine.image;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU cache of L2 tables keyed by their host offset. A table is the raw 64-bit words of one cluster; with extended
 * L2, word {@code 2i} is entry i's descriptor and {@code 2i+1} its subcluster bitmap.
 */
final class L2TableCache {
    private final int capacity;
    private final LinkedHashMap<Long, long[]> map;

    L2TableCache(long cacheBytes, long clusterSize) {
        this.capacity = (int) Math.max(4, Math.min(1 << 20, cacheBytes / clusterSize));
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized long[] get(long offset) {
        return map.get(offset);
    }

    synchronized void put(long offset, long[] table) {
        map.put(offset, table);
    }

    synchronized void invalidate(long offset) {
        map.remove(offset);
    }

    synchronized void clear() {
        map.clear();
    }

    int capacity() {
        return capacity;
    }
}

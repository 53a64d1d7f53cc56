package io.qcowscope.app.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which qemu-img prints an object's keys: QEMU's JSON writer walks a QDict, a hash table of 512 buckets
 * (qobject/qdict.c: {@code tdb_hash(key) % QDICT_BUCKET_MAX}), bucket by bucket, each bucket newest entry first. Ordering
 * our keys the same way makes {@code info} and {@code check --output=json} byte-identical to qemu-img's.
 */
final class QdictOrder {
    private static final int BUCKETS = 512;
    /** The key of qcowscope's own additions to qemu-img's objects: printed last, after every key qemu-img prints. */
    static final String OURS = "qcowscope";

    private QdictOrder() {
    }

    /** qdict.c's tdb_hash, in unsigned 32-bit arithmetic, reduced to a bucket. */
    static int bucket(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        int value = 0x238F13AF * b.length;
        for (int i = 0; i < b.length; i++) {
            value += (b[i] & 0xff) << (i * 5 % 24);
        }
        return Integer.remainderUnsigned(1103515243 * value + 12345, BUCKETS);
    }

    /** The entries of {@code m} (in insertion order) in qemu-img's print order. */
    static <K, V> List<Map.Entry<K, V>> entries(Map<K, V> m) {
        List<Map.Entry<K, V>> list = new ArrayList<>(m.entrySet());
        java.util.Collections.reverse(list); // a bucket lists its newest entry first; the sort below is stable
        list.sort(Comparator.comparingInt(e -> OURS.equals(e.getKey()) ? BUCKETS : bucket(String.valueOf(e.getKey()))));
        return list;
    }
}

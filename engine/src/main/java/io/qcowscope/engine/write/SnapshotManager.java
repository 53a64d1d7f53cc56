package io.qcowscope.engine.write;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.format.SnapshotTableCodec;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.mapping.L2TableEdit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Internal snapshots with {@code qemu-img snapshot -c/-d/-a} semantics (spec 4.4): refcounts of every L2 table and data
 * cluster a tree reaches change by one, COPIED is recomputed in the active tables, and the snapshot table is always
 * written to a new place before the header points at it (spec B.3 step 5).
 */
public final class SnapshotManager {
    private final WritableImage img;
    private final Geometry geo;

    SnapshotManager(WritableImage img) {
        this.img = img;
        this.geo = img.geo();
    }

    public List<SnapshotEntry> list() {
        return img.snapshots();
    }

    /** {@code qemu-img snapshot -c NAME}. */
    public SnapshotEntry create(String name) throws IOException {
        if (find(name) != null) {
            throw new IllegalArgumentException("a snapshot named '" + name + "' already exists");
        }
        img.beforeMetadataChange();
        img.ordering().flush();
        long[] l1 = img.l2().l1().clone();
        Map<Long, Long> increments = references(l1);
        checkOverflow(increments);
        int l1Clusters = (int) geo.clustersFor(l1.length * 8L);
        long l1Offset = l1Clusters == 0 ? 0 : img.allocator().allocate(l1Clusters);
        writeWords(l1Offset, l1);
        for (Map.Entry<Long, Long> e : increments.entrySet()) {
            for (long i = 0; i < e.getValue(); i++) {
                img.refcountTable().increment(e.getKey());
            }
        }
        updateActiveCopied();
        img.ordering().flush();
        int nextId = 1;
        for (SnapshotEntry s : img.snapshotList()) {
            try {
                nextId = Math.max(nextId, Integer.parseInt(s.id()) + 1);
            } catch (NumberFormatException ignored) {
                // ids QEMU did not write do not take part in numbering
            }
        }
        long now = System.currentTimeMillis();
        byte[] extra = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN).putLong(0).putLong(img.virtualSize())
                .putLong(0).array();
        SnapshotEntry entry = new SnapshotEntry(img.snapshotList().size(), 0, 0, l1Offset, l1.length,
                Integer.toString(nextId), name, now / 1000, (now % 1000) * 1_000_000L, 0, 0, extra.length, 0,
                img.virtualSize(), 0, extra);
        List<SnapshotEntry> next = new ArrayList<>(img.snapshotList());
        next.add(entry);
        writeTable(next);
        return entry;
    }

    /** {@code qemu-img snapshot -d NAME}: by id or name. */
    public void delete(String nameOrId) throws IOException {
        SnapshotEntry s = require(nameOrId);
        img.beforeMetadataChange();
        img.ordering().flush();
        List<SnapshotEntry> next = new ArrayList<>(img.snapshotList());
        next.remove(s);
        writeTable(next);
        long[] l1 = readWords(s.l1TableOffset(), (int) s.l1Size());
        // QCOW2_DISCARD_SNAPSHOT: QEMU passes these through by default, so the freed clusters are punched
        forEachReference(l1, c -> img.refcountTable().decrementLater(c, 1, true));
        img.refcountTable().decrementLater(s.l1TableOffset() >>> geo.clusterBits(), geo.clustersFor(s.l1Size() * 8),
                true);
        img.ordering().flush();
        updateActiveCopied();
        img.ordering().flush();
    }

    /** {@code qemu-img snapshot -a NAME}: the active disk becomes the snapshot's. */
    public void revert(String nameOrId) throws IOException {
        SnapshotEntry s = require(nameOrId);
        long[] active = img.l2().l1();
        if (s.l1Size() > active.length) {
            throw new IllegalArgumentException("snapshot '" + nameOrId + "' has a larger L1 table than the image; "
                    + "reverting to it is not supported");
        }
        if (s.diskSize() != img.virtualSize()) {
            throw new IllegalArgumentException("snapshot '" + nameOrId + "' has a different disk size; reverting to it"
                    + " is not supported");
        }
        img.beforeMetadataChange();
        img.ordering().flush();
        long[] l1 = new long[active.length];
        System.arraycopy(readWords(s.l1TableOffset(), (int) s.l1Size()), 0, l1, 0, (int) s.l1Size());
        Map<Long, Long> increments = references(l1);
        checkOverflow(increments);
        for (Map.Entry<Long, Long> e : increments.entrySet()) {
            for (long i = 0; i < e.getValue(); i++) {
                img.refcountTable().increment(e.getKey());
            }
        }
        img.ordering().flush();
        long[] old = active.clone();
        long l1Offset = img.l2().l1Offset();
        img.l2().replaceL1(l1, l1Offset);
        writeWords(l1Offset, l1);
        img.storage().flush();
        forEachReference(old, c -> img.refcountTable().decrementLater(c, 1, true));
        img.ordering().flush();
        updateActiveCopied();
        img.ordering().flush();
    }

    private SnapshotEntry find(String nameOrId) {
        for (SnapshotEntry s : img.snapshotList()) {
            if (s.id().equals(nameOrId)) {
                return s;
            }
        }
        for (SnapshotEntry s : img.snapshotList()) {
            if (s.name().equals(nameOrId)) {
                return s;
            }
        }
        return null;
    }

    private SnapshotEntry require(String nameOrId) {
        SnapshotEntry s = find(nameOrId);
        if (s == null) {
            throw new IllegalArgumentException("no snapshot '" + nameOrId + "'");
        }
        return s;
    }

    /** Every host cluster a tree references, with multiplicity (compressed streams may share clusters). */
    private Map<Long, Long> references(long[] l1) throws IOException {
        Map<Long, Long> m = new HashMap<>();
        forEachReference(l1, c -> m.merge(c, 1L, Long::sum));
        return m;
    }

    private void checkOverflow(Map<Long, Long> increments) throws IOException {
        long max = geo.refcountMax();
        for (Map.Entry<Long, Long> e : increments.entrySet()) {
            long v = img.refcountTable().get(e.getKey());
            if (Long.compareUnsigned(v + e.getValue(), max) > 0 || v + e.getValue() < v) {
                throw new RefcountOverflowException(e.getKey() << geo.clusterBits(), max);
            }
        }
    }

    /** Calls {@code sink} with the cluster index of every L2 table and data cluster of a tree, once per reference. */
    private void forEachReference(long[] l1, LongConsumer sink) throws IOException {
        for (long e : l1) {
            long l2off = L1Entry.l2Offset(e);
            if (l2off == 0) {
                continue;
            }
            sink.accept(l2off >>> geo.clusterBits());
            L2Table t = img.l2().l2Table(l2off);
            for (int i = 0; i < t.entries(); i++) {
                ClusterType type = t.clusterType(i);
                if (type == ClusterType.COMPRESSED) {
                    CompressedDescriptor d = t.compressedDescriptor(i);
                    long first = (d.hostOffset() & ~511L) >>> geo.clusterBits();
                    long last = ((d.hostOffset() & ~511L) + (long) d.sectors() * 512 - 1) >>> geo.clusterBits();
                    for (long c = first; c <= last; c++) {
                        sink.accept(c);
                    }
                } else if (type == ClusterType.NORMAL || type == ClusterType.ZERO_ALLOC) {
                    sink.accept(t.hostOffset(i) >>> geo.clusterBits());
                }
            }
        }
    }

    /** COPIED == (refcount == 1) for the active L1 entries and the entries of their L2 tables (spec 4.2). */
    private void updateActiveCopied() throws IOException {
        L2Updater l2 = img.l2();
        RefcountTable r = img.refcountTable();
        long[] l1 = l2.l1();
        for (int i = 0; i < l1.length; i++) {
            long l2off = L1Entry.l2Offset(l1[i]);
            if (l2off == 0) {
                continue;
            }
            long want = r.get(l2off >>> geo.clusterBits()) == 1 ? l2off | L1Entry.COPIED : l2off;
            if ((l1[i] & ~L1Entry.RESERVED_MASK) != want) {
                l2.setL1Entry(i, want | (l1[i] & L1Entry.RESERVED_MASK));
            }
            L2TableEdit t = l2.edit(l2off);
            boolean changed = false;
            for (int j = 0; j < t.view().entries(); j++) {
                ClusterType type = t.view().clusterType(j);
                if (type != ClusterType.NORMAL && type != ClusterType.ZERO_ALLOC) {
                    continue;
                }
                long w0 = t.word0(j);
                boolean one = r.get(L2Entry.hostOffset(w0) >>> geo.clusterBits()) == 1;
                long nw = one ? w0 | L2Entry.COPIED : w0 & ~L2Entry.COPIED;
                if (nw != w0) {
                    t.setWord0(j, nw);
                    changed = true;
                }
            }
            if (changed) {
                l2.markDirty(l2off);
            }
        }
    }

    /** qcow2_write_snapshots: new table, synced, header switched, old table freed. */
    private void writeTable(List<SnapshotEntry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SnapshotEntry s : entries) {
            out.writeBytes(SnapshotTableCodec.encode(s));
        }
        byte[] table = out.toByteArray();
        long oldOffset = img.header().snapshotsOffset();
        long oldBytes = SnapshotTableCodec.tableBytes(img.snapshotList(), oldOffset);
        long offset = 0;
        if (table.length > 0) {
            offset = img.allocator().allocate((int) geo.clustersFor(table.length));
            img.ordering().flush();
            img.storage().write(offset, table, 0, table.length);
            img.storage().flush();
        }
        img.headerUpdater().setSnapshots(entries.size(), offset);
        if (oldBytes > 0 && oldOffset != 0) {
            img.refcountTable().decrementLater(oldOffset >>> geo.clusterBits(), geo.clustersFor(oldBytes), true);
        }
        img.ordering().flush();
        img.setSnapshotList(offset == 0 ? List.of() : new ArrayList<>(SnapshotTableCodec.decode(img.storage()::read,
                offset, entries.size(), img.virtualSize(), false)));
    }

    private void writeWords(long offset, long[] words) throws IOException {
        if (words.length == 0) {
            return;
        }
        ByteBuffer bb = ByteBuffer.allocate(words.length * 8).order(ByteOrder.BIG_ENDIAN);
        bb.asLongBuffer().put(words);
        img.storage().write(offset, bb.array(), 0, bb.capacity());
    }

    private long[] readWords(long offset, int count) throws IOException {
        byte[] raw = img.storage().read(offset, count * 8);
        long[] out = new long[count];
        ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(out);
        return out;
    }
}

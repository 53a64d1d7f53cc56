package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a recorded sequence of storage calls as qcow2: which structure each write lands in (by the metadata after the
 * write) and which L1, L2 and refcount entries it changed, each tagged with the flush phase it belongs to (spec B.3).
 */
final class WriteTrace {
    private final Geometry geo;
    private final Storage file;
    private final long[] l1Before;
    private final long[] l1After;
    private final long l1Offset;
    private final long reftableOffset;
    private final long reftableBytes;
    /** Refcount block offset to its reftable index. */
    private final Map<Long, Integer> blocks = new HashMap<>();
    /** L2 table offset (after the write) to its L1 index, for the L1 entries the write touches. */
    private final Map<Long, Integer> tables = new HashMap<>();
    private final List<HostEvent> events = new ArrayList<>();
    private final List<WritePlan.L1Change> l1Changes = new ArrayList<>();
    private final List<WritePlan.L2Change> l2Changes = new ArrayList<>();
    private final List<WritePlan.RefcountChange> refcountChanges = new ArrayList<>();
    private int cursor;
    private int phase;

    WriteTrace(Geometry geo, Storage file, long[] l1Before, long[] l1After, long l1Offset, long[] reftable,
            long reftableOffset, long reftableClusters, long[] touchedL1) {
        this.geo = geo;
        this.file = file;
        this.l1Before = l1Before;
        this.l1After = l1After;
        this.l1Offset = l1Offset;
        this.reftableOffset = reftableOffset;
        this.reftableBytes = reftableClusters << geo.clusterBits();
        for (int r = 0; r < reftable.length; r++) {
            long off = reftable[r] & ~geo.clusterMask();
            if (off != 0) {
                blocks.put(off, r);
            }
        }
        for (long i : touchedL1) {
            long off = L1Entry.l2Offset(l1After[(int) i]);
            if (off != 0) {
                tables.put(off, (int) i);
            }
        }
    }

    long l1After(int index) {
        return l1After[index];
    }

    List<HostEvent> events() {
        return List.copyOf(events);
    }

    List<WritePlan.L1Change> l1Changes() {
        return List.copyOf(l1Changes);
    }

    List<WritePlan.L2Change> l2Changes() {
        return List.copyOf(l2Changes);
    }

    List<WritePlan.RefcountChange> refcountChanges() {
        return List.copyOf(refcountChanges);
    }

    /** Reads the events recorded since the last call. */
    void read(List<RecordingStorage.Event> recorded) throws IOException {
        for (; cursor < recorded.size(); cursor++) {
            RecordingStorage.Event e = recorded.get(cursor);
            HostEvent.Kind kind = HostEvent.Kind.valueOf(e.kind().name());
            HostEvent.Role role = kind == HostEvent.Kind.WRITE ? role(e.position()) : HostEvent.Role.NONE;
            events.add(new HostEvent(kind, role, e.position(), e.length(), phase));
            if (kind == HostEvent.Kind.FLUSH) {
                phase++;
            } else if (kind == HostEvent.Kind.WRITE && e.before() != null) {
                switch (role) {
                    case L1_TABLE -> l1(e);
                    case L2_TABLE -> l2(e);
                    case REFCOUNT_BLOCK -> refcounts(e);
                    default -> {
                    }
                }
            }
        }
    }

    private HostEvent.Role role(long pos) {
        long cluster = pos & ~geo.clusterMask();
        if (pos >= l1Offset && pos < l1Offset + 8L * l1After.length) {
            return HostEvent.Role.L1_TABLE;
        }
        if (pos >= reftableOffset && pos < reftableOffset + reftableBytes) {
            return HostEvent.Role.REFCOUNT_TABLE;
        }
        if (cluster == 0) {
            return HostEvent.Role.HEADER;
        }
        if (blocks.containsKey(cluster)) {
            return HostEvent.Role.REFCOUNT_BLOCK;
        }
        if (tables.containsKey(cluster)) {
            return HostEvent.Role.L2_TABLE;
        }
        return HostEvent.Role.GUEST_DATA;
    }

    private void l1(RecordingStorage.Event e) {
        ByteBuffer b = ByteBuffer.wrap(e.before());
        ByteBuffer a = ByteBuffer.wrap(e.after());
        for (int k = 0; k + 8 <= e.length(); k += 8) {
            long x = b.getLong(k);
            long y = a.getLong(k);
            if (x != y) {
                l1Changes.add(new WritePlan.L1Change((int) ((e.position() + k - l1Offset) / 8), e.position() + k, x, y,
                        phase));
            }
        }
    }

    private void l2(RecordingStorage.Event e) throws IOException {
        long table = e.position() & ~geo.clusterMask();
        int l1i = tables.get(table);
        long oldTable = L1Entry.l2Offset(l1Before[l1i]);
        byte[] old = e.before();
        if (oldTable != table) {
            // A new table: its entries were those of the table it replaces (a copy), or none.
            old = oldTable == 0 ? new byte[(int) e.length()]
                    : file.read(oldTable + (e.position() - table), (int) e.length());
        }
        ByteBuffer b = ByteBuffer.wrap(old);
        ByteBuffer a = ByteBuffer.wrap(e.after());
        int stride = geo.l2EntrySize();
        int skip = (int) ((stride - (e.position() - table) % stride) % stride);
        for (int k = skip; k + stride <= e.length(); k += stride) {
            long w0 = b.getLong(k);
            long w1 = a.getLong(k);
            long bm0 = stride == 16 ? b.getLong(k + 8) : 0;
            long bm1 = stride == 16 ? a.getLong(k + 8) : 0;
            if (w0 != w1 || bm0 != bm1) {
                int idx = (int) ((e.position() + k - table) / stride);
                long guest = ((long) l1i << (geo.l2Bits() + geo.clusterBits())) + ((long) idx << geo.clusterBits());
                l2Changes.add(new WritePlan.L2Change(table, idx, guest, e.position() + k, w0, bm0, w1, bm1, phase));
            }
        }
    }

    private void refcounts(RecordingStorage.Event e) {
        long block = e.position() & ~geo.clusterMask();
        int r = blocks.get(block);
        int bits = geo.refcountBits();
        long startBit = (e.position() - block) * 8;
        if (startBit % bits != 0) {
            return;
        }
        long firstEntry = startBit / bits;
        long n = e.length() * 8 / bits;
        for (long k = 0; k < n; k++) {
            long x = RefcountBlockCodec.get(e.before(), k, geo.refcountOrder());
            long y = RefcountBlockCodec.get(e.after(), k, geo.refcountOrder());
            if (x != y) {
                long cluster = (long) r * geo.refblockEntries() + firstEntry + k;
                refcountChanges.add(new WritePlan.RefcountChange(cluster, block + (firstEntry + k) * bits / 8, x, y,
                        phase));
            }
        }
    }
}

package io.qcowscope.engine.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.format.SubclusterType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The L2 stride, QEMU's get_host_offset runs and the error offsets, over an in-memory {@link L2Source}. */
class GuestResolverTest {
    private static final long L2_AT = 0x30000;
    private static final long COPIED = L2Entry.COPIED;

    /** One L1 entry pointing at one L2 table held in memory. */
    private static final class Tables implements L2Source {
        final Geometry geo;
        final long[] l1;
        final Map<Long, long[]> l2 = new HashMap<>();

        Tables(Geometry geo, long l1Entry) {
            this.geo = geo;
            this.l1 = new long[]{l1Entry, 0};
            l2.put(L2_AT, L2Table.emptyWords(geo));
        }

        L2TableEdit edit() {
            return new L2TableEdit(l2.get(L2_AT), geo, L2_AT);
        }

        @Override
        public int l1Size() {
            return l1.length;
        }

        @Override
        public long l1Entry(long index) {
            return index < l1.length ? l1[(int) index] : 0;
        }

        @Override
        public long l1Offset() {
            return 0x20000;
        }

        @Override
        public L2Table l2Table(long offset) {
            return L2Table.of(l2.get(offset), geo, false, offset);
        }
    }

    @Test
    void standardTableIsOneWordPerEntry() {
        Geometry g = new Geometry(16, false, 4);
        long[] w = L2Table.emptyWords(g);
        w[3] = 0x50000 | COPIED;
        L2Table t = L2Table.of(w, g, false, L2_AT);
        assertEquals(8192, t.entries());
        assertEquals(0x50000, t.hostOffset(3));
        assertEquals(0, t.bitmap(3));
        assertEquals(ClusterType.NORMAL, t.clusterType(3));
        assertEquals(L2_AT + 24, t.entryOffset(3));
    }

    @Test
    void extendedTableIsTwoWordsPerEntry() {
        Geometry g = new Geometry(16, true, 4);
        long[] w = L2Table.emptyWords(g);
        new L2TableEdit(w, g, L2_AT).set(3, 0x50000 | COPIED, 0x0000_0002_0000_0001L);
        assertEquals(0x50000 | COPIED, w[6]);
        assertEquals(0x0000_0002_0000_0001L, w[7]);
        L2Table t = L2Table.of(w, g, false, L2_AT);
        assertEquals(4096, t.entries());
        assertEquals(SubclusterType.NORMAL, t.subclusterType(3, 0));
        assertEquals(SubclusterType.ZERO_ALLOC, t.subclusterType(3, 1));
        assertEquals(SubclusterType.UNALLOCATED_ALLOC, t.subclusterType(3, 2));
        assertEquals(L2_AT + 48, t.entryOffset(3));
    }

    @Test
    void resolveRunsOverContiguousHostClusters() throws Exception {
        Geometry g = new Geometry(16, false, 4);
        Tables src = new Tables(g, L2_AT | COPIED);
        L2TableEdit e = src.edit();
        e.set(0, 0x50000 | COPIED, 0);
        e.set(1, 0x60000 | COPIED, 0);
        e.set(2, 0x90000 | COPIED, 0);
        GuestResolver r = new GuestResolver(src, g, false, 3);
        HostMapping m = r.resolve(GuestOffset.of(0x100), 1 << 20);
        assertEquals(SubclusterType.NORMAL, m.type());
        assertEquals(0x50100, m.host().value());
        assertEquals(0x20000 - 0x100, m.bytes(), "two contiguous clusters, then a jump");
        HostMapping hole = r.resolve(GuestOffset.of(3 << 16), 1 << 20);
        assertEquals(SubclusterType.UNALLOCATED_PLAIN, hole.type());
        assertEquals(1 << 20, hole.bytes());
        HostMapping noTable = r.resolve(GuestOffset.of(g.bytesPerL1Entry()), 4096);
        assertEquals(0, noTable.l2Offset());
        assertNull(r.tableFor(GuestOffset.of(g.bytesPerL1Entry())));
    }

    @Test
    void clusterEntryNamesTheHostCluster() throws Exception {
        Geometry g = new Geometry(16, false, 4);
        Tables src = new Tables(g, L2_AT | COPIED);
        src.edit().set(5, 0x70000 | COPIED, 0);
        GuestClusterEntry c = new GuestResolver(src, g, false, 3).clusterEntry(5);
        assertEquals(new ClusterIndex(7), c.hostCluster());
        assertEquals(ClusterType.NORMAL, c.type());
        assertEquals(0, c.l1Index());
        assertEquals(5, c.l2Index());
        assertEquals(L2_AT, c.l2Offset());
        assertNull(new GuestResolver(src, g, false, 3).clusterEntry(6).hostCluster());
    }

    @Test
    void brokenEntriesNameTheirOffset() {
        Geometry g = new Geometry(16, true, 4);
        Tables src = new Tables(g, L2_AT | COPIED);
        src.edit().set(2, 0x50000 | COPIED, 0x0000_0001_0000_0001L); // subcluster 0 both allocated and zero
        GuestResolver r = new GuestResolver(src, g, false, 3);
        Qcow2FormatException bad = assertThrows(Qcow2FormatException.class,
                () -> r.resolve(GuestOffset.of(2L << 16), 4096));
        assertEquals(Structure.L2_TABLE, bad.structure());
        assertEquals(L2_AT + 2 * 16, bad.offset());

        Tables unaligned = new Tables(g, (L2_AT + 512) | COPIED);
        Qcow2FormatException l1 = assertThrows(Qcow2FormatException.class,
                () -> new GuestResolver(unaligned, g, false, 3).resolve(GuestOffset.of(0), 512));
        assertEquals(Structure.L1_TABLE, l1.structure());
        assertEquals(0x20000, l1.offset());
    }

    @Test
    void zeroFlagsBeforeVersion3AreRefused() {
        Geometry g = new Geometry(16, false, 4);
        Tables src = new Tables(g, L2_AT | COPIED);
        src.edit().set(0, L2Entry.ZERO, 0);
        Qcow2FormatException e = assertThrows(Qcow2FormatException.class,
                () -> new GuestResolver(src, g, false, 2).resolve(GuestOffset.of(0), 512));
        assertEquals(L2_AT, e.offset());
    }

    @Test
    void typedOffsetsRefuseNegativeValues() {
        assertThrows(IllegalArgumentException.class, () -> GuestOffset.of(-1));
        assertThrows(IllegalArgumentException.class, () -> HostOffset.of(-1));
        assertEquals(new ClusterIndex(3), HostOffset.of(0x30001).cluster(new Geometry(16, false, 4)));
    }
}

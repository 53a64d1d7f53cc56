package io.qcowscope.engine.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L2Entry;
import org.junit.jupiter.api.Test;

/** qemu-img's allocated / fragmented / compressed rule (check_refcounts_l2 with CHECK_FRAG_INFO). */
class AllocationCounterTest {
    private final Geometry g = new Geometry(16, false, 4);

    @Test
    void contiguityRestartsAtEveryL2Table() {
        AllocationCounter c = new AllocationCounter(g.clusterSize());
        long[] a = L2Table.emptyWords(g);
        a[0] = 0x50000 | L2Entry.COPIED;
        a[1] = 0x60000 | L2Entry.COPIED;
        a[2] = 0x80000 | L2Entry.COPIED; // a gap: fragmented
        long[] b = L2Table.emptyWords(g);
        b[0] = 0x200000 | L2Entry.COPIED; // not after 0x80000, but a new table: not fragmented
        b[1] = 0x210000 | L2Entry.COPIED | L2Entry.ZERO; // ZERO_ALLOC counts like data
        count(c, L2Table.of(a, g, false, 0x30000));
        count(c, L2Table.of(b, g, false, 0x40000));
        assertEquals(new AllocationCounter.Figures(5, 1, 0), c.figures());
    }

    @Test
    void compressedClustersAreAlwaysFragmentedAndLeaveTheRunAlone() {
        AllocationCounter c = new AllocationCounter(g.clusterSize());
        long[] a = L2Table.emptyWords(g);
        a[0] = 0x50000 | L2Entry.COPIED;
        a[1] = CompressedDescriptor.encode(0x90000, 1000, g.clusterBits());
        a[2] = 0x60000 | L2Entry.COPIED; // follows a[0]: not fragmented
        a[3] = L2Entry.ZERO; // ZERO_PLAIN: not allocated
        count(c, L2Table.of(a, g, false, 0x30000));
        assertEquals(new AllocationCounter.Figures(3, 1, 1), c.figures());
    }

    @Test
    void compressedEntriesTheCheckRejectsAreNotCounted() {
        AllocationCounter c = new AllocationCounter(g.clusterSize());
        long[] a = L2Table.emptyWords(g);
        a[0] = CompressedDescriptor.encode(0x90000, 1000, g.clusterBits());
        count(c, L2Table.of(a, g, true, 0x30000)); // external data file: check_refcounts_l2 breaks out
        assertEquals(new AllocationCounter.Figures(0, 0, 0), c.figures());
    }

    private static void count(AllocationCounter c, L2Table t) {
        c.startTable();
        for (int i = 0; i < t.entries(); i++) {
            if (!t.isEmpty(i)) {
                c.entry(t, i);
            }
        }
    }
}

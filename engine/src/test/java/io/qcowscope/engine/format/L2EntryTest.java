package io.qcowscope.engine.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class L2EntryTest {

    @Test
    void standardEntryTypesFollowQemu() {
        assertEquals(ClusterType.UNALLOCATED, L2Entry.clusterType(0, false, false));
        assertEquals(ClusterType.ZERO_PLAIN, L2Entry.clusterType(1, false, false));
        assertEquals(ClusterType.ZERO_ALLOC, L2Entry.clusterType(0x8000000000062001L, false, false));
        assertEquals(ClusterType.NORMAL, L2Entry.clusterType(0x8000000000050000L, false, false));
        assertEquals(ClusterType.COMPRESSED, L2Entry.clusterType(0x4000000000050000L, false, false));
        // With a data file, offset 0 plus COPIED is an allocated cluster at host offset 0 (spec 2.5).
        assertEquals(ClusterType.NORMAL, L2Entry.clusterType(0x8000000000000000L, false, true));
        assertEquals(ClusterType.UNALLOCATED, L2Entry.clusterType(0x8000000000000000L, false, false));
        // The ZERO flag is ignored with extended L2 (spec 3.5).
        assertEquals(ClusterType.UNALLOCATED, L2Entry.clusterType(1, true, false));
    }

    @Test
    void extendedSubclusterTypesFollowTheSpecTable() {
        long w0 = 0x8000000000050000L;
        long bm = SubclusterBitmap.of(0b0101, 0b0010);
        assertEquals(SubclusterType.NORMAL, L2Entry.subclusterType(w0, bm, 0, true, false));
        assertEquals(SubclusterType.ZERO_ALLOC, L2Entry.subclusterType(w0, bm, 1, true, false));
        assertEquals(SubclusterType.NORMAL, L2Entry.subclusterType(w0, bm, 2, true, false));
        assertEquals(SubclusterType.UNALLOCATED_ALLOC, L2Entry.subclusterType(w0, bm, 3, true, false));
        assertEquals(SubclusterType.ZERO_PLAIN, L2Entry.subclusterType(0, 1L << 33, 1, true, false));
        assertEquals(SubclusterType.UNALLOCATED_PLAIN, L2Entry.subclusterType(0, 1L << 33, 0, true, false));
        // Spec 9.6 and 9.7: both allocated and zero, or allocated on an unallocated entry, is INVALID.
        assertEquals(SubclusterType.INVALID, L2Entry.subclusterType(w0, 0x00000001FFFFFFFFL, 5, true, false));
        assertEquals(SubclusterType.INVALID, L2Entry.subclusterType(0, 1, 5, true, false));
        assertEquals(SubclusterType.COMPRESSED, L2Entry.subclusterType(0x4000000000050000L, 7, 0, true, false));
    }

    @Test
    void subclusterRunsCountLikeQemu() {
        long w0 = 0x8000000000050000L;
        // Spec 9.2: bitmap 0x0000000280000001 -> sc0 normal, sc1 zero, sc2..30 unallocated, sc31 normal.
        long bm = 0x0000000280000001L;
        assertEquals(1, L2Entry.subclusterRun(w0, bm, 0, true, false));
        assertEquals(1, L2Entry.subclusterRun(w0, bm, 1, true, false));
        assertEquals(29, L2Entry.subclusterRun(w0, bm, 2, true, false));
        assertEquals(1, L2Entry.subclusterRun(w0, bm, 31, true, false));
        assertEquals(32, L2Entry.subclusterRun(0, 0, 0, true, false));
        assertEquals(-1, L2Entry.subclusterRun(w0, 0x00000001FFFFFFFFL, 0, true, false));
        assertEquals(1, L2Entry.subclusterRun(w0, 0, 0, false, false));
    }

    @Test
    void fieldsSplitAnL2EntryBitByBit() {
        var f = EntryFields.l2(0x8000000000050000L, false, 16);
        assertEquals("COPIED", f.get(0).name());
        assertEquals(1, f.get(0).value());
        BitField offset = f.stream().filter(x -> x.name().equals("host cluster offset")).findFirst().orElseThrow();
        assertEquals(9, offset.lowBit());
        assertEquals(55, offset.highBit());
        assertEquals(0x50000 >>> 9, offset.value());
        var c = EntryFields.l2(0x400000000005004fL, false, 16);
        BitField host = c.stream().filter(x -> x.name().equals("host byte offset")).findFirst().orElseThrow();
        assertEquals(0x5004f, host.value());
        assertEquals(53, host.highBit());
        assertEquals(64, EntryFields.bitmap(0).size());
    }

    @Test
    void l1EntryMasksAreTheSpecMasks() {
        long raw = 0x8000000000040000L | 0x100L;
        assertEquals(0x40000, L1Entry.l2Offset(raw));
        assertEquals(0x100, L1Entry.reservedBits(raw));
        assertEquals(true, L1Entry.copied(raw));
    }
}

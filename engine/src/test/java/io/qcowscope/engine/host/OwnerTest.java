package io.qcowscope.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OwnerTest {

    @Test
    void packsTableAndIndexesAtTheirLimits() {
        long o = Owner.l2Entry(65536, 4_194_303, 262_143);
        assertEquals(65536, Owner.table(o));
        assertEquals(4_194_303, Owner.l1Index(o));
        assertEquals(262_143, Owner.l2Index(o));
        assertEquals(-1, Owner.l2Index(Owner.l2Table(0, 5)));
    }

    @Test
    void describesPathsAndGuestOffsets() {
        assertEquals("L1[3] -> L2[17]", Owner.describe(HostClusterRole.DATA, Owner.l2Entry(0, 3, 17)));
        assertEquals("snapshot[1] L1[0] -> L2 table", Owner.describe(HostClusterRole.SNAPSHOT_L2_TABLE,
                Owner.l2Table(2, 0)));
        assertEquals("snapshot[0] L1 table", Owner.describe(HostClusterRole.SNAPSHOT_L1, Owner.l1Table(1)));
        assertEquals("reftable[4]", Owner.describe(HostClusterRole.REFCOUNT_BLOCK, 4));
        // 64 KiB clusters, 8192 entries per L2 table: L1[1] L2[2] is guest cluster 8194.
        assertEquals(8194L << 16, Owner.guestOffset(Owner.l2Entry(0, 1, 2), 16, 13));
    }
}

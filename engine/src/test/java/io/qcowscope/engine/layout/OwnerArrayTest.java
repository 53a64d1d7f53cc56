package io.qcowscope.engine.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.engine.host.Owner;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link OwnerArray} gives back every owner it was given, packed or widened. */
class OwnerArrayTest {

    @Test
    void treeOwnersOfTheImagesGeometryRoundTripInFourBytes() {
        OwnerArray a = new OwnerArray(1000, 13, 2048);
        long[] expected = new long[1000];
        Random rnd = new Random(1);
        for (int c = 0; c < expected.length; c++) {
            int table = rnd.nextInt(16);
            long l1 = rnd.nextInt(2048);
            expected[c] = switch (c % 5) {
                case 0 -> Owner.l2Entry(table, l1, rnd.nextInt(8192));
                case 1 -> Owner.l2Table(table, l1);
                case 2 -> Owner.l1Table(table);
                case 3 -> Owner.NONE;
                default -> rnd.nextInt(1 << 20); // a reftable index
            };
            a.set(c, expected[c]);
        }
        for (int c = 0; c < expected.length; c++) {
            assertEquals(expected[c], a.get(c), "cluster " + c);
        }
    }

    @Test
    void anOwnerThatDoesNotFitWidensWithoutLosingTheOthers() {
        OwnerArray a = new OwnerArray(8, 13, 2048);
        a.set(0, Owner.l2Entry(3, 2000, 8191));
        a.set(1, Owner.l1Table(15));
        a.set(2, Owner.NONE);
        a.set(3, Owner.l2Entry(16, 1, 1)); // table 16: past the four table bits
        a.set(4, Owner.l2Entry(0, 5000, 1)); // past the active L1 table
        a.set(5, Owner.pair(7, 123456));
        a.grow(12);
        a.set(11, Owner.l2Entry(2, 2047, 0));
        assertEquals(Owner.l2Entry(3, 2000, 8191), a.get(0));
        assertEquals(Owner.l1Table(15), a.get(1));
        assertEquals(Owner.NONE, a.get(2));
        assertEquals(Owner.l2Entry(16, 1, 1), a.get(3));
        assertEquals(Owner.l2Entry(0, 5000, 1), a.get(4));
        assertEquals(Owner.pair(7, 123456), a.get(5));
        assertEquals(Owner.l2Entry(2, 2047, 0), a.get(11));
        assertEquals(12, a.length());
    }
}

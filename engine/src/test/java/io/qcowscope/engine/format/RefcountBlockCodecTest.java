package io.qcowscope.engine.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RefcountBlockCodecTest {

    @ParameterizedTest(name = "order {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void setThenGetRoundTripsEveryEntryWithoutTouchingNeighbours(int order) {
        Geometry g = new Geometry(12, false, order);
        byte[] block = new byte[(int) g.clusterSize()];
        long[] model = new long[(int) g.refblockEntries()];
        Random r = new Random(order);
        for (int i = 0; i < 20000; i++) {
            int idx = r.nextInt(model.length);
            long v = order == 6 ? r.nextLong() : r.nextLong() & g.refcountMax();
            RefcountBlockCodec.set(block, idx, order, v);
            model[idx] = v;
        }
        for (int i = 0; i < model.length; i++) {
            assertEquals(model[i], RefcountBlockCodec.get(block, i, order), "entry " + i);
        }
    }

    @Test
    void oneBitRefcountsArePackedLsbFirst() {
        // Spec 4.1 [V]: clusters 0..6 used -> first byte 0x7F.
        byte[] block = new byte[512];
        for (int i = 0; i < 7; i++) {
            RefcountBlockCodec.set(block, i, 0, 1);
        }
        assertEquals(0x7F, block[0] & 0xFF);
    }

    @Test
    void fourBitRefcountsUseTheLowNibbleForEvenEntries() {
        byte[] block = new byte[512];
        RefcountBlockCodec.set(block, 0, 2, 0x3);
        RefcountBlockCodec.set(block, 1, 2, 0xA);
        assertEquals(0xA3, block[0] & 0xFF);
    }

    @Test
    void twoBitRefcountsFillEachByteFromBitZero() {
        byte[] block = new byte[512];
        RefcountBlockCodec.set(block, 0, 1, 1);
        RefcountBlockCodec.set(block, 3, 1, 2);
        assertEquals(0x81, block[0] & 0xFF);
    }

    @Test
    void wideRefcountsAreBigEndian() {
        byte[] block = new byte[512];
        RefcountBlockCodec.set(block, 1, 4, 0x0102);
        assertEquals(1, block[2]);
        assertEquals(2, block[3]);
        RefcountBlockCodec.set(block, 1, 5, 0x01020304L);
        assertEquals(0x01020304L, RefcountBlockCodec.get(block, 1, 5));
        assertEquals(4, block[7]);
        RefcountBlockCodec.set(block, 1, 6, 0x0102030405060708L);
        assertEquals(8, block[15]);
        assertEquals(1, block[8]);
    }
    @ParameterizedTest(name = "order {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void nextNonZeroFindsWhatAnEntryByEntryScanFinds(int order) {
        Geometry g = new Geometry(16, false, order);
        long entries = g.refblockEntries();
        Random r = new Random(100 + order);
        for (int round = 0; round < 20; round++) {
            byte[] block = new byte[(int) g.clusterSize()];
            int set = round == 0 ? 0 : r.nextInt(12);
            for (int k = 0; k < set; k++) {
                long v = 1 + (r.nextLong() & (g.refcountMax() >>> 1));
                RefcountBlockCodec.set(block, (long) r.nextInt((int) entries), order, v);
            }
            long from = round % 3 == 0 ? 0 : r.nextInt((int) entries);
            long expected = -1;
            for (long i = from; i < entries && expected < 0; i++) {
                if (RefcountBlockCodec.get(block, i, order) != 0) {
                    expected = i;
                }
            }
            assertEquals(expected, RefcountBlockCodec.nextNonZero(block, from, entries, order), "from " + from);
        }
        byte[] last = new byte[(int) g.clusterSize()];
        RefcountBlockCodec.set(last, entries - 1, order, 1);
        assertEquals(entries - 1, RefcountBlockCodec.nextNonZero(last, entries - 1, entries, order));
        assertEquals(-1, RefcountBlockCodec.nextNonZero(last, entries, entries, order));
    }
}

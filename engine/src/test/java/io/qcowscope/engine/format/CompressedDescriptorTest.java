package io.qcowscope.engine.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompressedDescriptorTest {

    @ParameterizedTest(name = "cluster_bits {0}")
    @ValueSource(ints = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21})
    void encodeThenDecodeCoversTheStreamForEveryClusterSize(int clusterBits) {
        long cs = 1L << clusterBits;
        Random r = new Random(clusterBits);
        for (int i = 0; i < 2000; i++) {
            long off = (r.nextLong() & ((1L << 40) - 1));
            long len = 1 + (long) (r.nextDouble() * (cs - 1));
            long e = CompressedDescriptor.encode(off, len, clusterBits);
            assertTrue(L2Entry.isCompressed(e));
            CompressedDescriptor d = CompressedDescriptor.decode(e, clusterBits);
            assertEquals(off, d.hostOffset());
            // The stored sector count covers the stream and never more than one sector beyond it.
            assertTrue(d.compressedSize() >= len, "covers");
            assertTrue(d.compressedSize() - len < 512, "at most one sector more");
            assertTrue(d.compressedSize() <= 2 * cs, "bounded by 2 clusters");
        }
    }

    @Test
    void sizeShiftMatchesTheSpecTable() {
        // Spec 3.4 table: x = 62 - (cluster_bits - 8).
        assertEquals(61, CompressedDescriptor.sizeShift(9));
        assertEquals(58, CompressedDescriptor.sizeShift(12));
        assertEquals(54, CompressedDescriptor.sizeShift(16));
        assertEquals(53, CompressedDescriptor.sizeShift(17));
        assertEquals(50, CompressedDescriptor.sizeShift(20));
        assertEquals(49, CompressedDescriptor.sizeShift(21));
    }

    @Test
    void qemuEntriesFromTheSpecDecode() {
        // Spec 3.4 [V]: three 79-byte streams packed back to back in host cluster 5 (64 KiB clusters).
        CompressedDescriptor a = CompressedDescriptor.decode(0x4000000000050000L, 16);
        CompressedDescriptor b = CompressedDescriptor.decode(0x400000000005004fL, 16);
        assertEquals(0x50000, a.hostOffset());
        assertEquals(0x5004f, b.hostOffset());
        assertEquals(1, a.sectors());
        assertEquals(512, a.compressedSize());
        assertEquals(512 - 0x4f, b.compressedSize());
    }

    @Test
    void aStreamTooLongForTheFieldIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CompressedDescriptor.encode(0, 4 * 512 + 1, 9));
    }
}

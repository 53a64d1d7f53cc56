package io.qcowscope.engine.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.Qcow2IoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read-ahead hands clusters out in sequence order, with the bytes and words a direct read gives, errors in place. */
class ClusterReadAheadTest {
    private static final int CLUSTER = 4096;

    private static MemoryStorage storage(int clusters) {
        byte[] b = new byte[clusters * CLUSTER];
        ByteBuffer bb = ByteBuffer.wrap(b);
        for (int i = 0; i < b.length / 8; i++) {
            bb.putLong(i * 8, ((long) i << 20) | 0x8000_0000_0000_0000L);
        }
        return new MemoryStorage("test", b, false);
    }

    @Test
    void clustersComeInSequenceOrderAsADirectReadGivesThem() throws IOException {
        MemoryStorage s = storage(64);
        // out of file order, repeated, and past the end (zeros), longer than the window
        long[] offsets = new long[100];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = (long) ((i * 37) % 70) * CLUSTER;
        }
        try (ClusterReadAhead ahead = new ClusterReadAhead(s, CLUSTER, true, offsets, offsets.length)) {
            assertTrue(ClusterReadAhead.window(CLUSTER, true) < offsets.length, "the window is reused");
            for (long offset : offsets) {
                ClusterReadAhead.Slot slot = ahead.next();
                assertEquals(offset, slot.offset());
                byte[] direct = s.read(offset, CLUSTER);
                assertArrayEquals(direct, slot.bytes());
                long[] words = new long[CLUSTER / 8];
                ByteBuffer.wrap(direct).asLongBuffer().get(words);
                assertArrayEquals(words, slot.words());
            }
            assertEquals(offsets.length, ahead.consumed());
            assertThrows(IllegalStateException.class, ahead::next);
        }
    }

    @Test
    void aFailedReadThrowsItsOwnExceptionWhenItsClusterIsReached() throws IOException {
        MemoryStorage s = storage(8);
        long bad = 1L << 62; // beyond any file: Storage.checkRange's typed error
        long[] offsets = {0, CLUSTER, bad, 2 * CLUSTER};
        try (ClusterReadAhead ahead = new ClusterReadAhead(s, CLUSTER, false, offsets, offsets.length)) {
            assertEquals(0, ahead.next().offset());
            assertEquals(CLUSTER, ahead.next().offset());
            Qcow2IoException e = assertThrows(Qcow2IoException.class, ahead::next);
            assertTrue(e.getMessage().contains("beyond any possible file size"), e.getMessage());
            assertEquals(2 * CLUSTER, ahead.next().offset(), "the failed cluster is consumed; the walk goes on");
        }
    }

    @Test
    void closingEarlyWaitsForRunningReadsAndDropsTheRest() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        Storage slow = new ForwardingStorage(storage(8)) {
            @Override
            public void read(long position, byte[] dst, int offset, int length) throws IOException {
                reads.incrementAndGet();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.read(position, dst, offset, length);
            }
        };
        long[] offsets = new long[1000];
        ClusterReadAhead ahead = new ClusterReadAhead(slow, CLUSTER, false, offsets, offsets.length);
        ClusterReadAhead.Slot first = ahead.next();
        assertSame(first, first);
        ahead.close();
        int after = reads.get();
        assertTrue(after <= ClusterReadAhead.window(CLUSTER, false) + 1, "bounded: " + after);
        assertEquals(after, reads.get(), "nothing reads after close");
    }

    @Test
    void anEmptySequenceReadsNothing() throws IOException {
        try (ClusterReadAhead ahead = new ClusterReadAhead(storage(1), CLUSTER, true, new long[0], 0)) {
            assertEquals(0, ahead.count());
            assertThrows(IllegalStateException.class, ahead::next);
        }
    }
}

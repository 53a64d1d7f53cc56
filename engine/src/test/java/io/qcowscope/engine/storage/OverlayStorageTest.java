package io.qcowscope.engine.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The scratch overlay: reads see its writes over the base, the base never changes, memory is bounded. */
class OverlayStorageTest {

    private static MemoryStorage base() {
        byte[] b = new byte[200_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return new MemoryStorage("base", b, false);
    }

    @Test
    void writesAcrossPagesReadBackOverTheBaseWhichStaysAsItWas() throws IOException {
        MemoryStorage base = base();
        byte[] before = base.toByteArray();
        OverlayStorage o = new OverlayStorage(base, 1 << 20);
        byte[] data = new byte[70_000];
        Arrays.fill(data, (byte) 0x5a);
        o.write(60_000, data, 0, data.length);
        byte[] r = o.read(59_990, 70_020);
        for (int i = 0; i < 10; i++) {
            assertEquals((byte) (59_990 + i), r[i]);
        }
        for (int i = 10; i < 70_010; i++) {
            assertEquals((byte) 0x5a, r[i]);
        }
        assertEquals((byte) 130_000, r[70_010]);
        assertArrayEquals(before, base.toByteArray());
        assertEquals(200_000, o.size());
        o.write(300_000, data, 0, 10);
        assertEquals(300_010, o.size());
        assertArrayEquals(new byte[10], o.read(250_000, 10), "the gap past the base reads as zeros");
        o.truncate(100);
        assertArrayEquals(new byte[10], o.read(100, 10));
        assertEquals(-1, o.nextData(100));
    }

    @Test
    void aPlanLargerThanTheBoundFails() throws IOException {
        OverlayStorage o = new OverlayStorage(base(), 3 << 16);
        byte[] data = new byte[4 << 16];
        assertThrows(IOException.class, () -> o.write(0, data, 0, data.length));
    }
}

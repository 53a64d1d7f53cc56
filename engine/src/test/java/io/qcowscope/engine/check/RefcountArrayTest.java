package io.qcowscope.engine.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RefcountArrayTest {

    @Test
    void widensWithoutLosingCounts() {
        RefcountArray a = new RefcountArray(4);
        a.set(0, 7);
        a.set(1, 255);
        assertEquals(255, a.get(1));
        a.set(2, 256);
        assertEquals(7, a.get(0));
        assertEquals(256, a.get(2));
        a.set(3, 1L << 40);
        assertEquals(255, a.get(1));
        assertEquals(256, a.get(2));
        assertEquals(1L << 40, a.get(3));
        a.set(3, -1L);
        assertEquals(-1L, a.get(3), "64-bit refcounts are unsigned");
    }

    @Test
    void growKeepsCountsAndAddsZeros() {
        RefcountArray a = new RefcountArray(2);
        a.set(1, 300);
        a.grow(3);
        assertEquals(3, a.length());
        assertEquals(300, a.get(1));
        assertEquals(0, a.get(2));
    }
}

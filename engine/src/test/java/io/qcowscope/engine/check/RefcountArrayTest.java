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

    @Test
    void startsWithBitsAndWidensOnTheFirstCountAboveOne() {
        RefcountArray a = new RefcountArray(130);
        a.setOnes(1, 0b1011L);
        a.set(129, 1);
        a.set(65, 0);
        assertEquals(1, a.get(64));
        assertEquals(0, a.get(65));
        assertEquals(1, a.get(67));
        assertEquals(1, a.get(129));
        a.set(3, 2);
        assertEquals(2, a.get(3));
        assertEquals(1, a.get(64));
        assertEquals(1, a.get(129));
        a.setOnes(0, 1L << 5);
        assertEquals(1, a.get(5));
        a.grow(200);
        assertEquals(0, a.get(199));
        assertEquals(1, a.get(129));
        RefcountArray b = new RefcountArray(70);
        b.set(69, 1);
        b.grow(140);
        assertEquals(1, b.get(69));
        assertEquals(0, b.get(139));
        b.set(1, 70000);
        assertEquals(70000, b.get(1));
        assertEquals(1, b.get(69));
    }
}

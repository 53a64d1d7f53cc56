package io.qcowscope.engine.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluralTest {
    @Test
    void ofUsesTheSingularForExactlyOne() {
        assertEquals("1 entry", Plural.of(1, "entry"));
        assertEquals("1 L2 table", Plural.of(1, "L2 table"));
        assertEquals("1 leaked cluster", Plural.of(1, "leaked cluster"));
        assertEquals("1 finding", Plural.of(1, "finding"));
    }

    @Test
    void ofUsesThePluralForZeroAndMany() {
        assertEquals("0 entries", Plural.of(0, "entry"));
        assertEquals("2 entries", Plural.of(2, "entry"));
        assertEquals("4096 L2 tables", Plural.of(4096, "L2 table"));
        assertEquals("16777216 clusters", Plural.of(16777216, "cluster"));
        assertEquals("-1 bytes", Plural.of(-1, "byte"));
    }

    @Test
    void pluralFollowsTheRegularSpellingRules() {
        assertEquals("entries", Plural.plural("entry"));
        assertEquals("keys", Plural.plural("key"));
        assertEquals("prefixes", Plural.plural("prefix"));
        assertEquals("matches", Plural.plural("match"));
        assertEquals("check errors", Plural.plural("check error"));
        assertEquals("corruptions", Plural.plural("corruption"));
    }

    @Test
    void ofTakesAnIrregularPlural() {
        assertEquals("1 child", Plural.of(1, "child", "children"));
        assertEquals("3 children", Plural.of(3, "child", "children"));
    }
}

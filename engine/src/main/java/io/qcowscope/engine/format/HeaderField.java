package io.qcowscope.engine.format;

/** One field of the fixed header with where it lives and what its value means (spec 1.1). */
public record HeaderField(String name, int offset, int length, long value, String meaning) {
}

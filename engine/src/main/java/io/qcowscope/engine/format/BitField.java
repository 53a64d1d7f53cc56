package io.qcowscope.engine.format;

/** A named run of bits of an on-disk word, for decoders that draw an entry bit by bit. Bits are inclusive, 0 = LSB. */
public record BitField(String name, int lowBit, int highBit, long value, String meaning) {

    public int width() {
        return highBit - lowBit + 1;
    }
}

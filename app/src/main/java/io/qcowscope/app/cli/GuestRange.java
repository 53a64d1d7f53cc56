package io.qcowscope.app.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A guest byte range {@code START[,LENGTH]} (k, M, G, T suffixes); without a length, to the end of the disk. */
record GuestRange(long start, long end) {

    static final class Converter implements ITypeConverter<GuestRange> {
        @Override
        public GuestRange convert(String value) {
            try {
                String[] p = value.split(",", 2);
                long start = BenchCommand.parse(p[0]);
                long length = p.length > 1 ? BenchCommand.parse(p[1]) : Long.MAX_VALUE - start;
                if (start < 0 || length <= 0 || length > Long.MAX_VALUE - start) {
                    throw new TypeConversionException("range must be START[,LENGTH] with LENGTH > 0: " + value);
                }
                return new GuestRange(start, start + length);
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new TypeConversionException("range must be START[,LENGTH], e.g. 1G,64k: " + value);
            }
        }
    }
}

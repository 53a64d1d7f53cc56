package io.qcowscope.app.ui.view;

import io.qcowscope.engine.format.BitField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Where the entry decoder puts a 64-bit word: its bits on one line of 64, or on two lines of 32 when the pane is too
 * narrow for 64 legible bits; each field bracketed under its bits and named in a lane below where its label overlaps no
 * other. A field across the two lines is bracketed on each; a label wider than the line wraps.
 */
final class EntryDecoderLayout {
    /** The narrowest bit of a 64-bit line; narrower panes take two lines of 32. */
    static final int MIN_BIT = 10;
    /** The narrowest bit of a 32-bit line (the digit is 7 px wide). */
    static final int MIN_BIT_SPLIT = 8;
    static final int MAX_BIT = 18;
    /** One line of label text. */
    static final double TEXT_LINE = 13;
    /** Between a label and the next lane, and between a label's text and its edges. */
    static final double GAP = 4;
    static final double PAD = 12;

    private EntryDecoderLayout() {
    }

    /** Bits of {@code bitWidth} px, {@code bitsPerLine} (64 or 32) to a line. */
    record Grid(int bitWidth, int bitsPerLine) {
        /** The widest bits for a pane {@code viewport} px wide: one line of 64 when they can be legible, else two of 32. */
        static Grid fit(double viewport) {
            double room = viewport - 8;
            if (room / 64 >= MIN_BIT) {
                return new Grid((int) Math.min(MAX_BIT, room / 64), 64);
            }
            return new Grid((int) Math.max(MIN_BIT_SPLIT, Math.min(MAX_BIT, room / 32)), 32);
        }

        double width() {
            return bitsPerLine * bitWidth + 4;
        }

        int lines() {
            return 64 / bitsPerLine;
        }

        /** The highest bit of line {@code line}. */
        int high(int line) {
            return 63 - line * bitsPerLine;
        }
    }

    /**
     * A field's bits on one line. {@code first}: the piece with the field's high bits, which names the field and its
     * meaning; the other piece says it continues.
     */
    record Piece(BitField field, int colour, int high, int low, boolean first) {
    }

    /**
     * A label: its text lines at x in lane {@code lane} (whose top is {@code y} below the lanes' top), the first
     * {@code nameLines} naming the field, the rest its meaning; and its leader.
     */
    record Placed(Piece piece, double x, double width, List<String> lines, int nameLines, int lane, double y,
            double leaderX) {
        double height() {
            return lines.size() * TEXT_LINE + 1;
        }
    }

    /** One line of bits, from {@code high} down, with the labels under it and the height of their lanes. */
    record Band(int high, int low, List<Placed> labels, double labelsHeight) {
    }

    /** The bands of a word split into {@code fields} (colours by the field's place in the list). */
    static List<Band> bands(List<BitField> fields, Grid grid, ToDoubleFunction<String> measure) {
        List<Band> bands = new ArrayList<>();
        for (int line = 0; line < grid.lines(); line++) {
            int high = grid.high(line);
            int low = high - grid.bitsPerLine() + 1;
            List<Piece> pieces = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) {
                BitField f = fields.get(i);
                int h = Math.min(high, f.highBit());
                int l = Math.max(low, f.lowBit());
                if (h >= l) {
                    pieces.add(new Piece(f, i, h, l, h == f.highBit()));
                }
            }
            bands.add(band(pieces, grid, high, low, measure));
        }
        return bands;
    }

    private static Band band(List<Piece> pieces, Grid grid, int high, int low, ToDoubleFunction<String> measure) {
        pieces.sort(Comparator.comparingInt(p -> high - p.high()));
        double lineWidth = grid.width();
        int bit = grid.bitWidth();
        List<double[]> lanes = new ArrayList<>(); // per lane: where its last label ends, its height
        List<Placed> out = new ArrayList<>();
        for (Piece p : pieces) {
            List<String> lines = wrap(name(p), lineWidth - PAD, measure);
            int nameLines = lines.size();
            if (p.first() && !p.field().meaning().isEmpty()) {
                lines.addAll(wrap(p.field().meaning(), lineWidth - PAD, measure));
            }
            double w = Math.min(lineWidth, lines.stream().mapToDouble(measure).max().orElse(0) + PAD);
            double x0 = (high - p.high()) * bit;
            double x1 = (high - p.low() + 1) * bit;
            double x;
            double leader;
            if (x0 + 4 + w <= lineWidth) {
                // the label starts just right of its leader, at the left of its bracket
                x = x0 + 4;
                leader = x0 + 1;
            } else {
                // no room to the right: the label ends at the line's end, its leader on its top edge within the bracket
                x = lineWidth - w;
                leader = Math.min(x1 - 1, Math.max(x0 + 1, x + 2));
            }
            double height = lines.size() * TEXT_LINE + GAP;
            int lane = 0;
            while (lane < lanes.size() && lanes.get(lane)[0] > x) {
                lane++;
            }
            if (lane == lanes.size()) {
                lanes.add(new double[] {0, 0});
            }
            lanes.get(lane)[0] = x + w;
            lanes.get(lane)[1] = Math.max(lanes.get(lane)[1], height);
            out.add(new Placed(p, x, w, lines, nameLines, lane, 0, leader));
        }
        double[] tops = new double[lanes.size() + 1];
        for (int i = 0; i < lanes.size(); i++) {
            tops[i + 1] = tops[i] + lanes.get(i)[1];
        }
        List<Placed> placed = new ArrayList<>();
        for (Placed q : out) {
            placed.add(new Placed(q.piece(), q.x(), q.width(), q.lines(), q.nameLines(), q.lane(), tops[q.lane()],
                    q.leaderX()));
        }
        return new Band(high, low, placed, tops[lanes.size()]);
    }

    /** The field's name and bits; a piece after the first says the field continues there. */
    private static String name(Piece p) {
        BitField f = p.field();
        return p.first() ? f.name() + " " + range(f.highBit(), f.lowBit())
                : f.name() + ", continued " + range(p.high(), p.low());
    }

    static String range(int high, int low) {
        return "[" + (high == low ? String.valueOf(low) : high + ":" + low) + "]";
    }

    /** Breaks {@code s} at spaces (after a comma too) so that no line is wider than {@code room}, where words allow. */
    static List<String> wrap(String s, double room, ToDoubleFunction<String> measure) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ")) {
            String longer = line.length() == 0 ? word : line + " " + word;
            if (line.length() > 0 && measure.applyAsDouble(longer) > room) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(longer);
            }
        }
        lines.add(line.toString());
        return lines;
    }
}

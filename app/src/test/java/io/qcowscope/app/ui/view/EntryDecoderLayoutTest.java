package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.BitField;
import io.qcowscope.engine.format.EntryFields;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The entry decoder's geometry: no label overlaps another and nothing is wider than the pane, at any width. */
class EntryDecoderLayoutTest {
    /** Monospace 11 px: about 6.7 px a character. */
    private static final ToDoubleFunction<String> MONO = s -> Math.ceil(s.length() * 6.7);
    private static final long COPIED_L2 = 0x8000_0000_0005_0000L | 1L << 63;

    private static Map<String, List<BitField>> words() {
        String every = "subclusters 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30";
        return Map.of(
                "L1 COPIED", EntryFields.l1(0x8000_0000_0003_0000L),
                "L2 COPIED standard", EntryFields.l2(COPIED_L2 | 0x0100_0000_0000_0000L, false, 16),
                "L2 COPIED extended", EntryFields.l2(COPIED_L2, true, 16),
                "L2 compressed", EntryFields.l2(0x4000_0000_0012_3400L | 3L << 54, false, 16),
                "refcount table", EntryFields.reftable(0x0000_0000_0002_0000L),
                "bitmap fields", EntryFields.bitmap(0x5555_5555_AAAA_AAAAL),
                "bitmap summary", List.of(new BitField("zero bits (subclusters 31..0)", 32, 63, 0x55555555L, every),
                        new BitField("allocation bits (subclusters 31..0)", 0, 31, 0xAAAAAAAAL, every)));
    }

    @Test
    void bandsKeepLabelsApartAndWithinThePaneAtEveryWidth() {
        for (int viewport = 264; viewport <= 1700; viewport += 13) {
            EntryDecoderLayout.Grid grid = EntryDecoderLayout.Grid.fit(viewport);
            assertTrue(grid.width() <= viewport, viewport + " px: bits " + grid.width() + " px wide");
            for (var word : words().entrySet()) {
                String where = word.getKey() + " at " + viewport + " px";
                List<EntryDecoderLayout.Band> bands = EntryDecoderLayout.bands(word.getValue(), grid, MONO);
                assertEquals(grid.lines(), bands.size(), where);
                int bits = 0;
                for (EntryDecoderLayout.Band band : bands) {
                    List<EntryDecoderLayout.Placed> labels = band.labels();
                    for (EntryDecoderLayout.Placed p : labels) {
                        bits += p.piece().high() - p.piece().low() + 1;
                        assertTrue(p.x() >= 0 && p.x() + p.width() <= grid.width(), where + ": " + p.lines()
                                + " at " + p.x() + ".." + (p.x() + p.width()) + " in " + grid.width());
                        for (String line : p.lines()) {
                            assertTrue(MONO.applyAsDouble(line) <= p.width(), where + ": '" + line + "' is cut");
                        }
                        double x0 = (band.high() - p.piece().high()) * grid.bitWidth();
                        double x1 = (band.high() - p.piece().low() + 1) * grid.bitWidth();
                        assertTrue(p.leaderX() > x0 && p.leaderX() < x1, where + ": the leader of " + p.lines()
                                + " leaves its bracket");
                        assertTrue(p.leaderX() <= p.x() + p.width(), where + ": the leader misses " + p.lines());
                        assertTrue(p.y() + p.height() <= band.labelsHeight(), where + ": below its band");
                    }
                    for (int i = 0; i < labels.size(); i++) {
                        for (int j = i + 1; j < labels.size(); j++) {
                            assertTrue(!overlap(labels.get(i), labels.get(j)), where + ": " + labels.get(i).lines()
                                    + " overlaps " + labels.get(j).lines());
                        }
                    }
                }
                assertEquals(64, bits, where + ": every bit is in one bracket");
            }
        }
    }

    @Test
    void narrowPanesTakeTwoLinesOf32AndWidePanesOneOf64() {
        assertEquals(new EntryDecoderLayout.Grid(10, 64), EntryDecoderLayout.Grid.fit(648));
        assertEquals(32, EntryDecoderLayout.Grid.fit(647).bitsPerLine());
        assertEquals(18, EntryDecoderLayout.Grid.fit(1600).bitWidth());
        // the field across the two lines is bracketed on each; its meaning is told once
        var bands = EntryDecoderLayout.bands(EntryFields.l2(COPIED_L2, false, 16), EntryDecoderLayout.Grid.fit(500),
                MONO);
        var host = bands.stream().flatMap(b -> b.labels().stream())
                .filter(p -> p.piece().field().name().equals("host cluster offset")).toList();
        assertEquals(2, host.size());
        assertEquals(List.of("host cluster offset [55:9]", "0x50000"), host.get(0).lines());
        assertEquals(List.of("host cluster offset, continued [31:9]"), host.get(1).lines());
    }

    private static boolean overlap(EntryDecoderLayout.Placed a, EntryDecoderLayout.Placed b) {
        boolean apartX = a.x() + a.width() - EntryDecoderLayout.GAP <= b.x()
                || b.x() + b.width() - EntryDecoderLayout.GAP <= a.x();
        boolean apartY = a.y() + a.height() <= b.y() || b.y() + b.height() <= a.y();
        return !(apartX || apartY);
    }
}

package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.TablesViewModel.Decoded;
import io.qcowscope.engine.format.BitField;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Draws a 64- or 128-bit table entry bit by bit, fields bracketed and named under the bits (see
 * {@link EntryDecoderLayout}): a narrow pane takes each word on two lines of 32 bits, so it never scrolls sideways.
 */
public final class EntryDecoderView extends VBox {
    /** Header line of a word, bit numbers, bits: the heights above a band's brackets. */
    private static final double WORD_LINE = 14;
    private static final double NUMBERS = 12;
    private static final double BITS = 18;
    private static final Color[] FIELD = {Color.web("#0072B2"), Color.web("#009E73"), Color.web("#E69F00"),
        Color.web("#CC79A7"), Color.web("#56B4E9"), Color.web("#D55E00")};
    private final Label title = new Label("Select an L1 or L2 entry to decode it");
    private final Canvas canvas = new Canvas(64 * EntryDecoderLayout.MIN_BIT + 4, 60);
    private final ScrollPane scroll = new ScrollPane(canvas);
    private final Font font = Font.font("monospace", 11);
    private final Font small = Font.font("monospace", 9);
    private final javafx.beans.value.ObservableValue<Boolean> dark;
    private final ReadOnlyObjectProperty<Decoded> decoded;
    private EntryDecoderLayout.Grid grid = new EntryDecoderLayout.Grid(14, 64);
    /** The labels of the last drawing, in canvas coordinates (for tests: none overlaps another). */
    private final List<javafx.geometry.Rectangle2D> labelBoxes = new ArrayList<>();

    public EntryDecoderView(ReadOnlyObjectProperty<Decoded> decoded, javafx.beans.value.ObservableValue<Boolean> dark) {
        this.dark = dark;
        this.decoded = decoded;
        title.getStyleClass().add("title-4");
        title.setWrapText(true);
        title.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        getChildren().addAll(title, scroll);
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        setSpacing(4);
        getStyleClass().add("view-pane");
        decoded.addListener((o, a, b) -> draw(b));
        dark.addListener((o, a, b) -> draw(decoded.get()));
        // The bits take the width there is (within limits), so the whole entry is seen without scrolling sideways.
        scroll.viewportBoundsProperty().addListener((o, a, b) -> {
            EntryDecoderLayout.Grid fit = EntryDecoderLayout.Grid.fit(b.getWidth());
            if (!fit.equals(grid)) {
                grid = fit;
                draw(decoded.get());
            }
        });
    }

    /** How the bits are laid out now: their width and how many to a line. */
    EntryDecoderLayout.Grid grid() {
        return grid;
    }

    List<javafx.geometry.Rectangle2D> labelBoxes() {
        return List.copyOf(labelBoxes);
    }

    double drawnWidth() {
        return canvas.getWidth();
    }

    private void draw(Decoded d) {
        GraphicsContext g = canvas.getGraphicsContext2D();
        labelBoxes.clear();
        if (d == null) {
            g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
            title.setText("Select an L1 or L2 entry to decode it");
            return;
        }
        // Table entries say their width; other words drawn here (a guest offset, a bitmap) are named by their title.
        boolean entry = d.title().startsWith("L1[") || d.title().startsWith("L2[");
        title.setText(d.title() + (!entry ? "" : d.extended() ? " (128-bit extended entry)" : " (64-bit entry)"));
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("word 0", d.word0(), d.fields()));
        if (d.extended()) {
            List<BitField> summary = new ArrayList<>();
            long bm = d.bitmap();
            summary.add(new BitField("zero bits (subclusters 31..0)", 32, 63, bm >>> 32, list(bm >>> 32)));
            summary.add(new BitField("allocation bits (subclusters 31..0)", 0, 31, bm & 0xFFFFFFFFL, list(bm)));
            rows.add(new Row("bitmap", bm, summary));
        }
        List<List<EntryDecoderLayout.Band>> bands = new ArrayList<>();
        double height = 4;
        for (Row row : rows) {
            List<EntryDecoderLayout.Band> b = EntryDecoderLayout.bands(row.fields, grid, s -> Columns.textWidth(font, s));
            bands.add(b);
            height += WORD_LINE + b.stream().mapToDouble(EntryDecoderView::bandHeight).sum();
        }
        canvas.setWidth(grid.width());
        canvas.setHeight(height);
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        boolean isDark = Boolean.TRUE.equals(dark.getValue());
        Color fg = isDark ? Color.web("#e6edf3") : Color.web("#1f2328");
        Color dim = isDark ? Color.web("#9198a1") : Color.web("#59636e");
        double y = 2;
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            g.setFont(font);
            g.setFill(dim);
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.TOP);
            g.fillText(row.name + "  " + String.format("%016x", row.word), 0, y);
            y += WORD_LINE;
            for (EntryDecoderLayout.Band band : bands.get(r)) {
                drawBand(g, row.word, band, y, isDark, fg, dim);
                y += bandHeight(band);
            }
        }
    }

    private static double bandHeight(EntryDecoderLayout.Band b) {
        return NUMBERS + BITS + 4 + 6 + b.labelsHeight() + 6;
    }

    private void drawBand(GraphicsContext g, long word, EntryDecoderLayout.Band band, double y, boolean isDark, Color fg,
            Color dim) {
        int bit = grid.bitWidth();
        g.setFill(dim);
        g.setFont(small);
        g.setTextAlign(TextAlignment.CENTER);
        for (int i = 0; i < grid.bitsPerLine(); i += 8) {
            g.fillText(String.valueOf(band.high() - i), i * bit + bit / 2.0, y);
        }
        g.setFont(font);
        double bitsY = y + NUMBERS;
        double by = bitsY + BITS + 4;
        double labelsTop = by + 6;
        for (EntryDecoderLayout.Placed p : band.labels()) {
            EntryDecoderLayout.Piece piece = p.piece();
            Color c = FIELD[piece.colour() % FIELD.length];
            for (int b = piece.low(); b <= piece.high(); b++) {
                double x = (band.high() - b) * bit;
                boolean one = ((word >>> b) & 1) != 0;
                g.setFill(one ? c : c.deriveColor(0, 0.35, isDark ? 0.5 : 1.4, 0.35));
                g.fillRect(x + 1, bitsY, bit - 2, BITS);
                g.setFill(one ? Color.WHITE : fg);
                g.setTextAlign(TextAlignment.CENTER);
                g.fillText(one ? "1" : "0", x + bit / 2.0, bitsY + 2);
            }
            double x0 = (band.high() - piece.high()) * bit;
            double x1 = (band.high() - piece.low() + 1) * bit;
            g.setStroke(c);
            g.setLineWidth(1.5);
            g.strokeLine(x0 + 1, by, x1 - 1, by);
            // a bracket's open end (no tick) where the field goes on in the other line
            if (piece.high() == piece.field().highBit()) {
                g.strokeLine(x0 + 1, by - 2, x0 + 1, by + 2);
            }
            if (piece.low() == piece.field().lowBit()) {
                g.strokeLine(x1 - 1, by - 2, x1 - 1, by + 2);
            }
            // A leader from the bracket down to the label's lane names the field unambiguously.
            g.setLineWidth(1);
            g.strokeLine(p.leaderX(), by, p.leaderX(), labelsTop + p.y());
        }
        // Labels last, each on the background, so a leader passing behind a label never crosses its text.
        Color bg = isDark ? Color.web("#0d1117") : Color.WHITE;
        g.setTextAlign(TextAlignment.LEFT);
        for (EntryDecoderLayout.Placed p : band.labels()) {
            double ly = labelsTop + p.y();
            g.setFill(bg);
            g.fillRect(p.x(), ly, p.width() - 4, p.height());
            labelBoxes.add(new javafx.geometry.Rectangle2D(p.x(), ly, p.width() - 4, p.height()));
            for (int i = 0; i < p.lines().size(); i++) {
                // the first line names the field (and its bits); the lines after it say what the value means
                g.setFill(i < p.nameLines() ? fg : dim);
                g.fillText(p.lines().get(i), p.x() + 1, ly + i * EntryDecoderLayout.TEXT_LINE);
            }
        }
    }

    private static String list(long bits) {
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (i < 32) {
            if (((bits >>> i) & 1) == 0) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < 32 && ((bits >>> (j + 1)) & 1) != 0) {
                j++;
            }
            s.append(s.length() == 0 ? "" : ", ").append(i == j ? String.valueOf(i) : i + "-" + j);
            i = j + 1;
        }
        return s.length() == 0 ? "none" : "subclusters " + s;
    }

    private record Row(String name, long word, List<BitField> fields) {
    }
}

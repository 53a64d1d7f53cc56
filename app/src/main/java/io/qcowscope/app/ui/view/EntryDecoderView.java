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

/** Draws a 64- or 128-bit table entry bit by bit, fields bracketed and named under the bits. */
public final class EntryDecoderView extends VBox {
    private static final int MIN_BIT = 10;
    private static final int MAX_BIT = 18;
    private static final int LANE = 30;
    private static final Color[] FIELD = {Color.web("#0072B2"), Color.web("#009E73"), Color.web("#E69F00"),
        Color.web("#CC79A7"), Color.web("#56B4E9"), Color.web("#D55E00")};
    private final Label title = new Label("Select an L1 or L2 entry to decode it");
    private final Canvas canvas = new Canvas(64 * MIN_BIT + 4, 60);
    private final ScrollPane scroll = new ScrollPane(canvas);
    private final Font font = Font.font("monospace", 11);
    private final Font small = Font.font("monospace", 9);
    private final javafx.beans.value.ObservableValue<Boolean> dark;
    private final ReadOnlyObjectProperty<Decoded> decoded;
    private int bit = 14;

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
        // The bits take the width there is (within limits), so the whole entry is seen without scrolling.
        scroll.viewportBoundsProperty().addListener((o, a, b) -> {
            int fit = (int) Math.max(MIN_BIT, Math.min(MAX_BIT, (b.getWidth() - 8) / 64));
            if (fit != bit) {
                bit = fit;
                draw(decoded.get());
            }
        });
    }

    /** A field's name and meaning, placed in a lane below the bits where it overlaps no other label. */
    private record Placed(BitField field, Color colour, double x, double width, int lane) {
    }

    private void draw(Decoded d) {
        GraphicsContext g = canvas.getGraphicsContext2D();
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
        double width = 64 * bit + 4;
        List<List<Placed>> placed = new ArrayList<>();
        double height = 4;
        double right = width;
        for (Row row : rows) {
            List<Placed> p = place(row, width);
            placed.add(p);
            height += rowHeight(p);
            for (Placed q : p) {
                right = Math.max(right, q.x() + q.width());
            }
        }
        canvas.setWidth(right);
        canvas.setHeight(height);
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        boolean isDark = Boolean.TRUE.equals(dark.getValue());
        Color fg = isDark ? Color.web("#e6edf3") : Color.web("#1f2328");
        Color dim = isDark ? Color.web("#9198a1") : Color.web("#59636e");
        double y = 2;
        for (int r = 0; r < rows.size(); r++) {
            drawRow(g, rows.get(r), placed.get(r), y, isDark, fg, dim);
            y += rowHeight(placed.get(r));
        }
    }

    private static double rowHeight(List<Placed> p) {
        int lanes = p.stream().mapToInt(Placed::lane).max().orElse(0) + 1;
        return 56 + lanes * LANE + 6;
    }

    /** Lanes for the labels, left to right: each label goes in the first lane where it clears the one before. */
    private List<Placed> place(Row row, double width) {
        List<BitField> fields = new ArrayList<>(row.fields);
        List<Placed> out = new ArrayList<>();
        List<Double> laneEnd = new ArrayList<>();
        fields.sort(java.util.Comparator.comparingInt(f -> 63 - f.highBit()));
        for (BitField f : fields) {
            double w = Math.max(Columns.textWidth(font, label(f)), Columns.textWidth(font, f.meaning())) + 12;
            double x0 = (63 - f.highBit()) * bit;
            double x1 = (64 - f.lowBit()) * bit;
            double x = Math.max(0, Math.min(x0 + 1, width - w));
            // The label starts just right of its leader (see drawRow), so its lane ends that much later.
            double leader = Math.max(x0 + 1, Math.min(x + 1, x1 - 1));
            x = Math.max(x, leader + 3);
            int lane = 0;
            while (lane < laneEnd.size() && laneEnd.get(lane) > x) {
                lane++;
            }
            if (lane == laneEnd.size()) {
                laneEnd.add(0.0);
            }
            laneEnd.set(lane, x + w);
            out.add(new Placed(f, FIELD[row.fields.indexOf(f) % FIELD.length], x, w, lane));
        }
        return out;
    }

    private static String label(BitField f) {
        return f.name() + " [" + (f.highBit() == f.lowBit() ? f.lowBit() : f.highBit() + ":" + f.lowBit()) + "]";
    }

    private void drawRow(GraphicsContext g, Row row, List<Placed> placed, double y, boolean isDark, Color fg,
            Color dim) {
        g.setFont(font);
        g.setFill(dim);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(row.name + "  " + String.format("%016x", row.word), 0, y);
        g.setFont(small);
        g.setTextAlign(TextAlignment.CENTER);
        for (int b = 0; b < 64; b += 8) {
            g.fillText(String.valueOf(63 - b), b * bit + bit / 2.0, y + 14);
        }
        g.setFont(font);
        double bitsY = y + 26;
        double by = bitsY + 22;
        for (Placed p : placed) {
            BitField f = p.field();
            Color c = p.colour();
            for (int b = f.lowBit(); b <= f.highBit(); b++) {
                double x = (63 - b) * bit;
                boolean one = ((row.word >>> b) & 1) != 0;
                g.setFill(one ? c : c.deriveColor(0, 0.35, isDark ? 0.5 : 1.4, 0.35));
                g.fillRect(x + 1, bitsY, bit - 2, 18);
                g.setFill(one ? Color.WHITE : fg);
                g.setTextAlign(TextAlignment.CENTER);
                g.fillText(one ? "1" : "0", x + bit / 2.0, bitsY + 2);
            }
            double x0 = (63 - f.highBit()) * bit;
            double x1 = (64 - f.lowBit()) * bit;
            g.setStroke(c);
            g.setLineWidth(1.5);
            g.strokeLine(x0 + 1, by, x1 - 1, by);
            g.strokeLine(x0 + 1, by - 2, x0 + 1, by + 2);
            g.strokeLine(x1 - 1, by - 2, x1 - 1, by + 2);
            // A leader from the bracket down to the label's lane names the field unambiguously.
            g.setLineWidth(1);
            g.strokeLine(leaderX(p), by, leaderX(p), labelY(p, by));
        }
        // Labels last, each on the background, so a leader passing behind a label never crosses its text.
        Color bg = isDark ? Color.web("#0d1117") : Color.WHITE;
        g.setTextAlign(TextAlignment.LEFT);
        for (Placed p : placed) {
            BitField f = p.field();
            double ly = labelY(p, by);
            double lx = p.x();
            g.setFill(bg);
            g.fillRect(lx, ly, p.width() - 4, f.meaning().isEmpty() ? 14 : 27);
            g.setFill(fg);
            g.fillText(label(f), lx + 1, ly);
            if (!f.meaning().isEmpty()) {
                g.setFill(dim);
                g.fillText(f.meaning(), lx + 1, ly + 13);
            }
        }
    }

    /** The leader stands just left of its label, within the field's bracket (see {@link #place}). */
    private static double leaderX(Placed p) {
        return p.x() - 3;
    }

    private static double labelY(Placed p, double bracketY) {
        return bracketY + 6 + p.lane() * LANE;
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

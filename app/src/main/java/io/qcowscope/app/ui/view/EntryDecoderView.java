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
    private static final int BIT = 14;
    private static final int ROW = 134;
    private static final Color[] FIELD = {Color.web("#0072B2"), Color.web("#009E73"), Color.web("#E69F00"),
        Color.web("#CC79A7"), Color.web("#56B4E9"), Color.web("#D55E00")};
    private final Label title = new Label("Select an L1 or L2 entry to decode it");
    private final Canvas canvas = new Canvas(64 * BIT + 60, ROW);
    private final javafx.beans.value.ObservableValue<Boolean> dark;

    public EntryDecoderView(ReadOnlyObjectProperty<Decoded> decoded, javafx.beans.value.ObservableValue<Boolean> dark) {
        this.dark = dark;
        title.getStyleClass().add("title-4");
        ScrollPane sp = new ScrollPane(canvas);
        sp.setFitToHeight(true);
        getChildren().addAll(title, sp);
        setSpacing(4);
        setStyle("-fx-padding: 6;");
        decoded.addListener((o, a, b) -> draw(b));
        dark.addListener((o, a, b) -> draw(decoded.get()));
    }

    private void draw(Decoded d) {
        GraphicsContext g = canvas.getGraphicsContext2D();
        if (d == null) {
            g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
            title.setText("Select an L1 or L2 entry to decode it");
            return;
        }
        title.setText(d.title() + (d.extended() ? " (128-bit extended entry)" : " (64-bit entry)"));
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("word 0", d.word0(), d.fields()));
        if (d.extended()) {
            List<BitField> summary = new ArrayList<>();
            long bm = d.bitmap();
            summary.add(new BitField("zero bits (subclusters 31..0)", 32, 63, bm >>> 32, list(bm >>> 32)));
            summary.add(new BitField("allocation bits (subclusters 31..0)", 0, 31, bm & 0xFFFFFFFFL, list(bm)));
            rows.add(new Row("bitmap", bm, summary));
        }
        canvas.setHeight(rows.size() * ROW + 4);
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        boolean isDark = Boolean.TRUE.equals(dark.getValue());
        Color fg = isDark ? Color.web("#e6edf3") : Color.web("#1f2328");
        Color dim = isDark ? Color.web("#7d8590") : Color.web("#656d76");
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            double y = r * ROW + 2;
            g.setFont(Font.font("monospace", 11));
            g.setFill(dim);
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.TOP);
            g.fillText(row.name + "  " + String.format("%016x", row.word), 0, y);
            int fi = 0;
            double[] levelEnd = {-1, -1, -1};
            for (BitField f : row.fields) {
                Color c = FIELD[fi++ % FIELD.length];
                double x0 = (63 - f.highBit()) * BIT;
                double x1 = (64 - f.lowBit()) * BIT;
                for (int b = f.lowBit(); b <= f.highBit(); b++) {
                    double x = (63 - b) * BIT;
                    boolean one = ((row.word >>> b) & 1) != 0;
                    g.setFill(one ? c : c.deriveColor(0, 0.35, isDark ? 0.5 : 1.4, 0.35));
                    g.fillRect(x + 1, y + 26, BIT - 2, 18);
                    g.setFill(one ? Color.WHITE : fg);
                    g.setTextAlign(TextAlignment.CENTER);
                    g.fillText(one ? "1" : "0", x + BIT / 2.0, y + 28);
                }
                g.setStroke(c);
                g.setLineWidth(1.5);
                g.strokeLine(x0 + 1, y + 48, x1 - 1, y + 48);
                g.strokeLine(x0 + 1, y + 46, x0 + 1, y + 50);
                g.strokeLine(x1 - 1, y + 46, x1 - 1, y + 50);
                g.setFill(fg);
                g.setTextAlign(TextAlignment.LEFT);
                String label = f.name() + " [" + (f.highBit() == f.lowBit() ? f.lowBit() : f.highBit() + ":" + f.lowBit())
                        + "]";
                double lx = x0 + 1;
                double width = 6.8 * Math.max(label.length(), f.meaning().length()) + 8;
                lx = Math.max(0, Math.min(lx, canvas.getWidth() - width));
                int level = 0;
                while (level < levelEnd.length - 1 && levelEnd[level] > lx) {
                    level++;
                }
                levelEnd[level] = lx + width;
                double ly = y + 52 + level * 26;
                g.fillText(label, lx, ly);
                if (!f.meaning().isEmpty()) {
                    g.setFill(dim);
                    g.fillText(f.meaning(), lx, ly + 14);
                }
            }
            for (int b = 0; b < 64; b += 8) {
                g.setFill(dim);
                g.setTextAlign(TextAlignment.CENTER);
                g.setFont(Font.font("monospace", 9));
                g.fillText(String.valueOf(63 - b), b * BIT + BIT / 2.0, y + 14);
                g.setFont(Font.font("monospace", 11));
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

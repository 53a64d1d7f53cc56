package io.qcowscope.app.ui.view;

import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;

/**
 * Colour swatches with their labels, under a map. With counts, only the codes present are listed, each with its count;
 * the others on demand ("show all").
 */
public final class Legend extends FlowPane {
    private final Supplier<int[]> palette;
    private final IntFunction<String> label;
    private final IntSupplier count;
    private final IntToLongFunction counts;
    private boolean showAll;
    private boolean stale;

    /** Every code {@code 0..count-1}. */
    public Legend(Supplier<int[]> palette, IntFunction<String> label, IntSupplier count, ObservableValue<Boolean> dark) {
        this(palette, label, count, null, dark);
    }

    /** {@code counts}: how many items have each code, or -1 while unknown (then every code is listed). */
    public Legend(Supplier<int[]> palette, IntFunction<String> label, IntSupplier count, IntToLongFunction counts,
            ObservableValue<Boolean> dark) {
        super(12, 4);
        this.palette = palette;
        this.label = label;
        this.count = count;
        this.counts = counts;
        getStyleClass().add("legend");
        build();
        dark.addListener((o, a, b) -> build());
        sceneProperty().addListener((o, a, b) -> {
            if (b != null && stale) {
                build();
            }
        });
    }

    /**
     * Lists the codes again (with their counts). Out of a scene (its tab not shown yet) that waits until it joins one: a
     * scan's results rebuilt the legends of views not shown, 5 ms of FX thread while a 1 TiB image was scanned.
     */
    public void build() {
        if (getScene() == null) {
            stale = true;
            return;
        }
        stale = false;
        getChildren().clear();
        int[] pal = palette.get();
        int hidden = 0;
        for (int i = 0; i < count.getAsInt() && i < pal.length; i++) {
            long n = counts == null ? -1 : counts.applyAsLong(i);
            if (n == 0 && !showAll) {
                hidden++;
                continue;
            }
            Region sw = new Region();
            sw.getStyleClass().add("legend-swatch");
            // The swatch colour is data (the palette), not styling: one background per code.
            sw.setBackground(new javafx.scene.layout.Background(new javafx.scene.layout.BackgroundFill(
                    Palette.color(pal[i]), null, null)));
            Label l = new Label(label.apply(i) + (n > 0 ? " (" + String.format("%,d", n) + ")" : ""), sw);
            l.getStyleClass().add("legend-item");
            getChildren().add(l);
        }
        if (hidden > 0 || showAll && counts != null) {
            Hyperlink more = new Hyperlink(showAll ? "only those present" : "show all " + (hidden + getChildren().size()));
            more.getStyleClass().add("legend-more");
            more.setOnAction(e -> {
                showAll = !showAll;
                build();
            });
            getChildren().add(more);
        }
    }
}

package io.qcowscope.app.ui.view;

import java.util.function.IntFunction;
import java.util.function.Supplier;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;

/** Colour swatches with their labels, under a map. */
public final class Legend extends FlowPane {
    private final Supplier<int[]> palette;
    private final IntFunction<String> label;
    private final int count;

    public Legend(Supplier<int[]> palette, IntFunction<String> label, int count, ObservableValue<Boolean> dark) {
        super(12, 4);
        this.palette = palette;
        this.label = label;
        this.count = count;
        setStyle("-fx-padding: 4 8 4 8;");
        getStyleClass().add("legend");
        build();
        dark.addListener((o, a, b) -> build());
    }

    public void build() {
        getChildren().clear();
        int[] pal = palette.get();
        for (int i = 0; i < count && i < pal.length; i++) {
            Region sw = new Region();
            sw.setMinSize(14, 14);
            sw.setMaxSize(14, 14);
            sw.setStyle("-fx-background-color: " + Palette.css(pal[i])
                    + "; -fx-border-color: -color-border-default; -fx-border-width: 1;");
            Label l = new Label(label.apply(i), sw);
            getChildren().add(l);
        }
    }
}

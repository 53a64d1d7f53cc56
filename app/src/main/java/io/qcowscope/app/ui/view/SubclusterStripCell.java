package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.TablesViewModel.L2Row;
import io.qcowscope.engine.format.SubclusterType;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.TableCell;

/**
 * The 32 subclusters of an extended L2 entry as a strip of cells coloured by subcluster type (spec 3.5); the subclusters
 * whose allocation or zero bit the last Apply flipped are outlined.
 */
public final class SubclusterStripCell extends TableCell<L2Row, L2Row> {
    public static final int CELL = 6;
    private final Canvas canvas = new Canvas(32 * CELL + 1, 12);
    private final Supplier<int[]> palette;
    private final ToLongFunction<L2Row> flipped;
    private final BooleanSupplier dark;

    /** @param flipped the subclusters of an entry the last Apply flipped, bit i for subcluster i */
    public SubclusterStripCell(Supplier<int[]> palette, ToLongFunction<L2Row> flipped, BooleanSupplier dark) {
        this.palette = palette;
        this.flipped = flipped;
        this.dark = dark;
        getStyleClass().add("subcluster-strip");
    }

    @Override
    protected void updateItem(L2Row r, boolean empty) {
        super.updateItem(r, empty);
        if (empty || r == null || !r.extended()) {
            setGraphic(null);
            setUserData(null);
            return;
        }
        SubclusterType[] t = r.subclusters();
        setUserData(t);
        int[] pal = palette.get();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        for (int i = 0; i < 32; i++) {
            g.setFill(Palette.color(pal[t[i].ordinal()]));
            g.fillRect(i * CELL, 1, CELL - 1, 10);
        }
        long f = flipped.applyAsLong(r);
        if (f != 0) {
            g.setStroke(Palette.color(Palette.applied(dark.getAsBoolean())));
            g.setLineWidth(1.5);
            for (int i = 0; i < 32; i++) {
                if ((f >>> i & 1) != 0) {
                    g.strokeRect(i * CELL + 0.25, 0.75, CELL - 1.5, 10.5);
                }
            }
        }
        setGraphic(canvas);
    }
}

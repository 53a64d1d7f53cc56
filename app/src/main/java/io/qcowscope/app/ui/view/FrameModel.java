package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.MapModel;
import javafx.beans.property.ReadOnlyLongProperty;

/**
 * A map model as one frame's painting thread reads it: counts taken on the FX thread, codes read from the model's compact
 * arrays, and the sub-cells of the frame's visible items copied beforehand on the FX thread (the window's subcluster
 * cache lives there). At most a screenful of items, 32 bytes each; nothing else of the model is used off the FX thread.
 */
final class FrameModel implements MapModel {
    private final MapModel model;
    private final long itemCount;
    private final int codeCount;
    private final int subcells;
    private final long first;
    private final byte[] sub;
    private final boolean[] known;

    private FrameModel(MapModel model, long first, int items) {
        this.model = model;
        this.itemCount = model.itemCount();
        this.codeCount = model.codeCount();
        this.subcells = model.subcellsPerItem();
        this.first = first;
        int n = (int) Math.max(0, Math.min(items, itemCount - first));
        this.sub = new byte[subcells > 1 ? n * subcells : 0];
        this.known = new boolean[subcells > 1 ? n : 0];
        byte[] one = new byte[subcells];
        for (int i = 0; i < known.length; i++) {
            if (model.fillSubcells(first + i, one)) {
                known[i] = true;
                System.arraycopy(one, 0, sub, i * subcells, subcells);
            }
        }
    }

    /**
     * On the FX thread: {@code model} for painting {@code items} items from {@code first}, with their sub-cells copied
     * when {@code withSubcells} (the frame draws them: one item per cell, cells big enough).
     */
    static FrameModel of(MapModel model, long first, int items, boolean withSubcells) {
        return new FrameModel(model, first, withSubcells ? items : 0);
    }

    @Override
    public long itemCount() {
        return itemCount;
    }

    @Override
    public int codeCount() {
        return codeCount;
    }

    @Override
    public String codeLabel(int code) {
        throw new UnsupportedOperationException("a frame model only paints");
    }

    @Override
    public void fillCodes(long from, byte[] dst, int off, int len) {
        model.fillCodes(from, dst, off, len);
    }

    @Override
    public int subcellsPerItem() {
        return subcells;
    }

    @Override
    public boolean fillSubcells(long item, byte[] dst) {
        long i = item - first;
        if (i < 0 || i >= known.length || !known[(int) i]) {
            return false;
        }
        System.arraycopy(sub, (int) i * subcells, dst, 0, Math.min(subcells, dst.length));
        return true;
    }

    @Override
    public String describe(long item) {
        throw new UnsupportedOperationException("a frame model only paints");
    }

    @Override
    public void select(long item) {
        throw new UnsupportedOperationException("a frame model only paints");
    }

    @Override
    public ReadOnlyLongProperty selectedItem() {
        return model.selectedItem();
    }

    @Override
    public ReadOnlyLongProperty revision() {
        return model.revision();
    }
}

package io.qcowscope.app.ui.viewmodel;

import javafx.beans.property.ReadOnlyLongProperty;

/**
 * A cluster map as a drawing needs it: a long run of items, each with a small code (its colour class), read in bulk from
 * compact arrays; optionally 32 sub-cells per item (subclusters). No Nodes, no object per item.
 */
public interface MapModel {
    long itemCount();

    /** Number of distinct codes; codes are 0..codeCount()-1. */
    int codeCount();

    String codeLabel(int code);

    /** Codes of items {@code [first, first+len)}; items past the end get code 0. */
    void fillCodes(long first, byte[] dst, int off, int len);

    /** 1, or 32 with extended L2 subclusters. */
    int subcellsPerItem();

    /**
     * Codes of the sub-cells of one item (length subcellsPerItem()); false when they are not known yet (still loading off
     * the UI thread), and the item is drawn as one cell until {@link #revision} changes.
     */
    boolean fillSubcells(long item, byte[] dst);

    /**
     * This map for a picture painted off the UI thread (export, {@code qcowscope render}): what it answers there is read on
     * the painting thread, so every sub-cell is known.
     */
    default MapModel forPicture() {
        return this;
    }

    /** A one-line description of an item for a tooltip. */
    String describe(long item);

    /** Selects the item (shared selection). */
    void select(long item);

    /** The selected item, -1 when none. */
    ReadOnlyLongProperty selectedItem();

    /** No items marked. */
    long[] NO_ITEMS = {};

    /** Items the last Apply changed, sorted ascending, marked on the map (a corner in the accent colour). */
    default long[] changedItems() {
        return NO_ITEMS;
    }

    /** Changes whenever codes change, so drawings know to repaint. */
    ReadOnlyLongProperty revision();
}

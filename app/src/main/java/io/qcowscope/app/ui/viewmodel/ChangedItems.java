package io.qcowscope.app.ui.viewmodel;

import java.util.Arrays;

/** The items of a map the last Apply changed, sorted for the painter's binary search; bounded by the caller. */
final class ChangedItems {
    private long[] items = MapModel.NO_ITEMS;

    void set(long[] changed) {
        long[] sorted = changed.clone();
        Arrays.sort(sorted);
        items = sorted;
    }

    long[] get() {
        return items;
    }
}

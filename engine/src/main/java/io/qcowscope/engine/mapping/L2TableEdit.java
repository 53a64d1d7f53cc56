package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.Geometry;

/**
 * Write access to the words of one L2 table held by a write-back cache: the writer's side of {@link L2Table}, with the same
 * stride (spec 3.3, 3.5). The cache marks the table dirty; this class only changes words.
 */
public final class L2TableEdit {
    private final long[] words;
    private final L2Table view;

    public L2TableEdit(long[] words, Geometry geo, long offset) {
        this.words = words;
        this.view = L2Table.of(words, geo, false, offset);
    }

    /** The table as it now stands. */
    public L2Table view() {
        return view;
    }

    public long word0(int i) {
        return view.word0(i);
    }

    public long bitmap(int i) {
        return view.bitmap(i);
    }

    /** Sets entry {@code i}; {@code bitmap} is ignored without extended L2. */
    public void set(int i, long word0, long bitmap) {
        if (view.geometry().extendedL2()) {
            words[2 * i] = word0;
            words[2 * i + 1] = bitmap;
        } else {
            words[i] = word0;
        }
    }

    public void setWord0(int i, long word0) {
        set(i, word0, view.bitmap(i));
    }

    public void setBitmap(int i, long bitmap) {
        set(i, view.word0(i), bitmap);
    }
}

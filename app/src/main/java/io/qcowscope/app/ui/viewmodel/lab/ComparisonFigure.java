package io.qcowscope.app.ui.viewmodel.lab;

/** One figure of the side-by-side comparison: its name and the value on this image and on the other geometry. */
public record ComparisonFigure(String name, long thisImage, long other, boolean bytes) {
    public String thisText() {
        return text(thisImage);
    }

    public String otherText() {
        return text(other);
    }

    private String text(long v) {
        return bytes ? io.qcowscope.app.ui.viewmodel.Sizes.bytes(v) : Long.toString(v);
    }
}

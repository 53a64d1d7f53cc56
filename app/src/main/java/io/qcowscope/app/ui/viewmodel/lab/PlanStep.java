package io.qcowscope.app.ui.viewmodel.lab;

/** One step of a planned write as the window shows it: a title and one or two sentences with this image's values. */
public record PlanStep(Kind kind, String title, String text) {

    /** What the step is about; the view gives each kind its icon. */
    public enum Kind { RANGE, DECISION, COPY_ON_WRITE, ALLOCATION, DATA, REFCOUNT, L2, L1, HEADER, SYNC, FREE }
}

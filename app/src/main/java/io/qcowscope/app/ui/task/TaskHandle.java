package io.qcowscope.app.ui.task;

/** A started task: ask it to stop. */
public interface TaskHandle {
    void cancel();

    boolean isDone();
}

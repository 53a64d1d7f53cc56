package io.qcowscope.app.ui.task;

/** Callbacks of a task, always delivered on the UI thread (or the caller's thread for the synchronous executor). */
public interface TaskListener<T> {
    default void progress(double fraction) {
    }

    void succeeded(T value);

    default void failed(Throwable error) {
    }

    default void cancelled() {
    }
}

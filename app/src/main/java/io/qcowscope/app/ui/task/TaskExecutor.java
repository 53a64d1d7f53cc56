package io.qcowscope.app.ui.task;

/**
 * Where view-models send long work (JabRef's {@code TaskExecutor}): the window runs it on a background thread and delivers
 * results on the FX thread; tests run it synchronously.
 */
public interface TaskExecutor {
    <T> TaskHandle execute(String title, BackgroundTask<T> task, TaskListener<T> listener);

    /**
     * Runs a short lookup the user waits for (a click that resolves a cluster) off the UI thread without queueing it behind
     * long scans; the same as {@link #execute} unless the executor has a lane for it.
     */
    default <T> TaskHandle executeInteractive(String title, BackgroundTask<T> task, TaskListener<T> listener) {
        return execute(title, task, listener);
    }

    /** Runs a small piece of work on the UI thread (immediately for the synchronous executor). */
    void runOnUi(Runnable r);

    /**
     * Runs {@code r} on the UI thread once what is on screen now has been painted, so that heavy background work started by
     * {@code r} does not delay the first frame (immediately for the synchronous executor).
     */
    default void afterNextFrame(Runnable r) {
        runOnUi(r);
    }

    /**
     * Runs {@code r} on the UI thread once the window has taken in what came before: the worker has delivered every task
     * it was given, and the UI thread has run a few frames in a row without a long task (at the latest after a bound);
     * after the next frame unless the executor can tell (immediately for the synchronous executor).
     */
    default void whenSettled(Runnable r) {
        afterNextFrame(r);
    }

    /** Runs {@code steps} on the UI thread in order, one a frame (all now, in order, for the synchronous executor). */
    default void onFrames(Runnable... steps) {
        for (Runnable step : steps) {
            runOnUi(step);
        }
    }
}

package io.qcowscope.app.ui.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs tasks at once like {@link SyncTaskExecutor}, except those titled {@code title}: those wait until the test runs
 * them with {@link #runHeld()}, so it can see what the window shows meanwhile (an open or a scan still running).
 */
public final class HoldingTaskExecutor implements TaskExecutor {
    private final SyncTaskExecutor sync = new SyncTaskExecutor();
    private final List<Runnable> held = new ArrayList<>();
    private final String title;

    public HoldingTaskExecutor(String title) {
        this.title = title;
    }

    @Override
    public <T> TaskHandle execute(String t, BackgroundTask<T> task, TaskListener<T> listener) {
        if (!t.equals(title)) {
            return sync.execute(t, task, listener);
        }
        held.add(() -> sync.execute(t, task, listener));
        return pending();
    }

    /** The handle of a task the test holds: never done, and cancelling it does nothing. */
    public static TaskHandle pending() {
        return new TaskHandle() {
            @Override
            public void cancel() {
            }

            @Override
            public boolean isDone() {
                return false;
            }
        };
    }

    @Override
    public void runOnUi(Runnable r) {
        r.run();
    }

    /** Tasks held now. */
    public int held() {
        return held.size();
    }

    /** Runs the oldest held task and delivers its result. */
    public void runHeld() {
        held.remove(0).run();
    }
}

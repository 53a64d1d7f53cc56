package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.app.ui.task.BackgroundTask;
import io.qcowscope.app.ui.task.HoldingTaskExecutor;
import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.task.TaskHandle;
import io.qcowscope.app.ui.task.TaskListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs long tasks (open, scans) at once like {@link SyncTaskExecutor} but holds interactive lookups until the test lands
 * them, in any order, so it can see what the view-models show meanwhile and that a stale lookup is dropped.
 */
final class HeldLookupExecutor implements io.qcowscope.app.ui.task.TaskExecutor {
    private final SyncTaskExecutor sync = new SyncTaskExecutor();
    private final List<Runnable> held = new ArrayList<>();

    @Override
    public <T> TaskHandle execute(String title, BackgroundTask<T> task, TaskListener<T> listener) {
        return sync.execute(title, task, listener);
    }

    @Override
    public <T> TaskHandle executeInteractive(String title, BackgroundTask<T> task, TaskListener<T> listener) {
        held.add(() -> sync.execute(title, task, listener));
        return HoldingTaskExecutor.pending();
    }

    /** Lookups held now. */
    int held() {
        return held.size();
    }

    /** Runs the held lookup {@code i} (0 = the oldest still held) and delivers its result. */
    void land(int i) {
        held.remove(i).run();
    }

    /** Lands every held lookup, oldest first, including those started meanwhile. */
    void landAll() {
        while (!held.isEmpty()) {
            land(0);
        }
    }

    @Override
    public void runOnUi(Runnable r) {
        r.run();
    }
}

package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.app.ui.task.BackgroundTask;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskHandle;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.task.CancelledException;
import io.qcowscope.engine.task.ProgressMonitor;

/**
 * Runs tasks on the calling thread like the synchronous executor, but the task titled {@code victim} is cancelled after
 * it has reported progress {@code reports} times: a user pressing Cancel in the middle of a long Apply.
 */
final class CancelAfterProgressExecutor implements TaskExecutor {
    private final String victim;
    private final int reports;

    CancelAfterProgressExecutor(String victim, int reports) {
        this.victim = victim;
        this.reports = reports;
    }

    @Override
    public <T> TaskHandle execute(String title, BackgroundTask<T> task, TaskListener<T> listener) {
        int[] seen = {0};
        ProgressMonitor monitor = new ProgressMonitor() {
            @Override
            public void progress(long done, long total) {
                seen[0]++;
            }

            @Override
            public boolean isCancelled() {
                return title.equals(victim) && seen[0] >= reports;
            }
        };
        try {
            listener.succeeded(task.run(monitor));
        } catch (CancelledException e) {
            listener.cancelled();
        } catch (Exception e) {
            listener.failed(e);
        }
        return new TaskHandle() {
            @Override
            public void cancel() {
            }

            @Override
            public boolean isDone() {
                return true;
            }
        };
    }

    @Override
    public void runOnUi(Runnable r) {
        r.run();
    }
}

package io.qcowscope.app.ui.task;

import io.qcowscope.engine.task.CancelledException;
import io.qcowscope.engine.task.ProgressMonitor;

/** Runs tasks on the calling thread; for view-model tests without a toolkit. */
public final class SyncTaskExecutor implements TaskExecutor {
    @Override
    public <T> TaskHandle execute(String title, BackgroundTask<T> task, TaskListener<T> listener) {
        ProgressMonitor monitor = new ProgressMonitor() {
            @Override
            public void progress(long done, long total) {
                listener.progress(total <= 0 ? -1 : (double) done / total);
            }

            @Override
            public boolean isCancelled() {
                return false;
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

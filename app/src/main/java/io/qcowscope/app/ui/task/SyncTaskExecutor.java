package io.qcowscope.app.ui.task;

import io.qcowscope.engine.task.CancelledException;
import io.qcowscope.engine.task.ProgressMonitor;

/** Runs tasks on the calling thread; for view-model tests without a toolkit. */
public final class SyncTaskExecutor implements TaskExecutor {
    private final String cancelTitle;
    private final int cancelAfter;

    public SyncTaskExecutor() {
        this(null, 0);
    }

    private SyncTaskExecutor(String cancelTitle, int cancelAfter) {
        this.cancelTitle = cancelTitle;
        this.cancelAfter = cancelAfter;
    }

    /**
     * An executor whose tasks titled {@code title} are cancelled once they have reported progress {@code reports} times:
     * a user pressing Cancel in the middle of long work, for tests.
     */
    public static SyncTaskExecutor cancellingAfter(String title, int reports) {
        return new SyncTaskExecutor(title, reports);
    }

    @Override
    public <T> TaskHandle execute(String title, BackgroundTask<T> task, TaskListener<T> listener) {
        int[] reports = {0};
        ProgressMonitor monitor = new ProgressMonitor() {
            @Override
            public void progress(long done, long total) {
                reports[0]++;
                listener.progress(total <= 0 ? -1 : (double) done / total);
            }

            @Override
            public boolean isCancelled() {
                return title.equals(cancelTitle) && reports[0] >= cancelAfter;
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

package io.qcowscope.app.ui.viewmodel.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.task.BackgroundTask;
import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskHandle;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.engine.task.CancelledException;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.DamagedImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan repair runs in the background and Cancel stops it: the engine's planner honours the monitor. */
class RepairCancelTest {
    @TempDir
    Path dir;

    /** Runs everything at once, except the plan, which it holds until the test runs it (cancelled or not). */
    static final class HeldPlan implements TaskExecutor {
        private final SyncTaskExecutor sync = new SyncTaskExecutor();
        Runnable held;
        boolean cancelled;

        @Override
        public <T> TaskHandle execute(String title, BackgroundTask<T> task, TaskListener<T> listener) {
            if (!title.equals("plan repair")) {
                return sync.execute(title, task, listener);
            }
            held = () -> {
                ProgressMonitor m = new ProgressMonitor() {
                    @Override
                    public void progress(long done, long total) {
                    }

                    @Override
                    public boolean isCancelled() {
                        return cancelled;
                    }
                };
                try {
                    listener.succeeded(task.run(m));
                } catch (CancelledException e) {
                    listener.cancelled();
                } catch (Exception e) {
                    listener.failed(e);
                }
            };
            return new TaskHandle() {
                @Override
                public void cancel() {
                    cancelled = true;
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
    }

    @Test
    void cancelStopsThePlanningAndNoPlanIsShown() throws Exception {
        Qemu.requireInstalled();
        Path image = DamagedImages.leakRefcountZeroAndOverlap(dir);
        HeldPlan executor = new HeldPlan();
        MainViewModel vm = new MainViewModel(executor, RecentFiles.inMemory());
        vm.open(image);
        RepairViewModel r = vm.repair();
        r.plan();
        assertTrue(r.planningProperty().get(), "planning runs in the background");
        r.cancel();
        assertFalse(r.planningProperty().get());
        assertEquals("planning cancelled", r.statusProperty().get());
        executor.held.run();
        assertTrue(executor.cancelled);
        assertFalse(r.plannedProperty().get(), "a cancelled plan is never shown");
        assertTrue(r.rows().isEmpty());

        executor.cancelled = false;
        r.plan();
        executor.held.run();
        assertTrue(r.plannedProperty().get(), "planning again works: " + r.statusProperty().get());
    }
}

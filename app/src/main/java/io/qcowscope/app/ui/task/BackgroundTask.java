package io.qcowscope.app.ui.task;

import io.qcowscope.engine.task.ProgressMonitor;

/** Work that runs off the UI thread, reporting progress and honouring cancellation through the monitor. */
@FunctionalInterface
public interface BackgroundTask<T> {
    T run(ProgressMonitor monitor) throws Exception;
}

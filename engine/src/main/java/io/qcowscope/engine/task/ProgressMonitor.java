package io.qcowscope.engine.task;

/** How long work reports progress and learns that it should stop. Implementations must be thread-safe. */
public interface ProgressMonitor {

    /** {@code done} of {@code total} units; total may change as work discovers more. */
    void progress(long done, long total);

    boolean isCancelled();

    /** Throws {@link CancelledException} when cancellation was asked for. */
    default void checkCancelled() throws CancelledException {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }

    ProgressMonitor NONE = new ProgressMonitor() {
        @Override
        public void progress(long done, long total) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };
}

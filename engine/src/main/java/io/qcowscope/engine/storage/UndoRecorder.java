package io.qcowscope.engine.storage;

import java.io.IOException;
import java.util.List;

/**
 * Keeps the original bytes of host ranges before they are overwritten (an undo journal). Every call is durable before it
 * returns, so the write that follows can never reach the disk first.
 */
@FunctionalInterface
public interface UndoRecorder {

    /** Records the current bytes of each {@code {offset, length}} range, synced before returning. */
    void record(List<long[]> ranges) throws IOException;
}

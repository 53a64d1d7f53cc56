package io.qcowscope.app.ui.viewmodel;

import java.util.List;

/** Consistency findings; the engine's {@code check} package replaces the provisional ones at merge. */
public interface FindingsSource {
    List<Finding> findings();
}

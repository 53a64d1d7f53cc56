package io.qcowscope.app.ui.viewmodel;

/**
 * One consistency finding. {@code hostCluster} and {@code guestCluster} link it to a structure (-1 when none).
 */
public record Finding(Severity severity, String message, long hostCluster, long guestCluster) {
    public enum Severity {
        ERROR, LEAK, INFO
    }
}

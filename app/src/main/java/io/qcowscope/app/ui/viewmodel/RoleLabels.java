package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.host.HostClusterRole;

/** Words for host cluster roles in the window (legend, tooltips, tables). */
public final class RoleLabels {
    private RoleLabels() {
    }

    public static String of(HostClusterRole r) {
        return switch (r) {
            case HEADER -> "header";
            case ACTIVE_L1 -> "L1 table";
            case SNAPSHOT_L1 -> "snapshot L1 table";
            case L2_TABLE -> "L2 table";
            case SNAPSHOT_L2_TABLE -> "snapshot L2 table";
            case REFCOUNT_TABLE -> "refcount table";
            case REFCOUNT_BLOCK -> "refcount block";
            case DATA -> "guest data";
            case COMPRESSED -> "compressed data";
            case SNAPSHOT_TABLE -> "snapshot table";
            case BITMAP_DIRECTORY -> "bitmap directory";
            case BITMAP_TABLE -> "bitmap table";
            case BITMAP_DATA -> "bitmap data";
            case ENCRYPTION_HEADER -> "encryption header";
            case FREE -> "free";
            case LEAKED -> "leaked";
            case OVERLAP -> "overlap";
        };
    }
}

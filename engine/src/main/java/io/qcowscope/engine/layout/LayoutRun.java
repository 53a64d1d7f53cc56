package io.qcowscope.engine.layout;

import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;

/**
 * Consecutive host clusters with the same role (data clusters also with consecutive guest offsets).
 *
 * @param start  first host cluster index
 * @param length number of clusters
 * @param owner  the packed owner of the first cluster ({@link Owner#NONE} for free, leaked, header...)
 */
public record LayoutRun(long start, long length, HostClusterRole role, long owner) {
}

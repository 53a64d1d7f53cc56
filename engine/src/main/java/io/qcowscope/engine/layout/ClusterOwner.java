package io.qcowscope.engine.layout;

import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;

/**
 * One entry that points at a host cluster.
 *
 * @param role        what the entry uses the cluster as
 * @param owner       the packed owner ({@link Owner})
 * @param path        readable structure path, e.g. {@code L1[0] -> L2[17]}
 * @param guestOffset the guest offset a data or compressed cluster holds, or -1
 */
public record ClusterOwner(HostClusterRole role, long owner, String path, long guestOffset) {
}

package io.qcowscope.engine.layout;

import io.qcowscope.engine.host.HostClusterRole;

/** A reference to host bytes one cluster or more past the end of the file (QEMU refuses to count it, spec 5.2). */
public record BeyondEndReference(long offset, long size, HostClusterRole role, long owner, String path) {
}

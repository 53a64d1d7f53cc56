/**
 * What a host cluster is used for ({@link io.qcowscope.engine.host.HostClusterRole}) and which entry points at it
 * ({@link io.qcowscope.engine.host.Owner}, packed in one long). A neutral package: the check records roles and owners while
 * it counts references, and the host layout draws them; both depend on this package, neither on the other's internals.
 */
package io.qcowscope.engine.host;

/**
 * The guest-to-host mapping (spec 3, B.1): the one place that decodes L2 tables. {@link io.qcowscope.engine.mapping.L2Table}
 * is an immutable view of one table's raw words; {@link io.qcowscope.engine.mapping.GuestResolver} answers "where does this
 * guest offset live" over an {@link io.qcowscope.engine.mapping.L2Source} (the read cache of an open image, or the write-back
 * cache of a writable one); {@link io.qcowscope.engine.mapping.GuestReader} is the one guest read path on top of it; and
 * {@link io.qcowscope.engine.mapping.AllocationCounter} is qemu-img's allocated/fragmented/compressed rule, shared by the
 * check and the guest layout. Depends on {@code format}, {@code compress} and {@code storage} only.
 */
package io.qcowscope.engine.mapping;

/**
 * {@code qemu-img check} semantics (QEMU 7.2, spec section 5) without repair: {@link io.qcowscope.engine.check.ImageChecker}
 * returns a {@link io.qcowscope.engine.check.CheckResult} with qemu-img's counters and exit code and one
 * {@link io.qcowscope.engine.check.Finding} per counted problem (kind, structure path, offsets, expected vs found, guest
 * range, repairability), the input a repair planner needs. qcowscope's own warnings (overlapping metadata, refcounts past
 * the end of the file, corrupt/dirty bits, COPIED in snapshot L1 tables) carry {@link io.qcowscope.engine.check.Severity#WARNING}
 * and never change the counters. The same pass feeds the host layout (package {@code layout}, which depends on this one)
 * through {@link io.qcowscope.engine.check.ClaimListener}.
 */
package io.qcowscope.engine.check;

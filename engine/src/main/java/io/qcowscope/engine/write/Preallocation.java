package io.qcowscope.engine.write;

/** {@code qemu-img create -o preallocation=}: only the modes that write no guest data. */
public enum Preallocation {
    /** Only the header, refcount structures and an empty L1 table. */
    OFF,
    /** Every L2 table and data cluster allocated up front; data clusters left as holes (spec 3.6 F). */
    METADATA
}

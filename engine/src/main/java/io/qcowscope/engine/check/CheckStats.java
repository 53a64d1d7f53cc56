package io.qcowscope.engine.check;

/** The allocation statistics qemu-img check prints, counted over the active L1 only (QEMU's CHECK_FRAG_INFO). */
final class CheckStats {
    long allocated;
    long fragmented;
    long compressed;
}

package io.qcowscope.engine.check;

/** Which of qemu-img check's counters a finding adds to (spec 5.6), or none for qcowscope's own warnings. */
public enum Severity {
    CORRUPTION, LEAK, CHECK_ERROR, WARNING
}

package io.qcowscope.engine.check;

import java.util.List;

/**
 * The outcome of a check with {@code qemu-img check}'s counters (spec 5.7) and the findings behind them.
 *
 * @param completed      false when the check stopped early (QEMU: "Check failed"); the counters then hold what was found
 * @param failure        why it stopped, or null
 * @param rebuildNeeded  the refcount structure can only be repaired by a rebuild (spec 5.3, 5.4)
 * @param findings       problems in the order qemu-img prints them, then warnings; capped at
 *                       {@link ImageChecker#MAX_FINDINGS} (counters stay exact)
 * @param findingsDropped findings not kept because of the cap
 */
public record CheckResult(
        boolean completed,
        String failure,
        long corruptions,
        long leaks,
        long checkErrors,
        long imageEndOffset,
        long totalClusters,
        long allocatedClusters,
        long fragmentedClusters,
        long compressedClusters,
        boolean rebuildNeeded,
        List<Finding> findings,
        long findingsDropped) {

    /** qemu-img check's exit status: 0 clean, 1 check failed or internal errors, 2 corruptions, 3 only leaks. */
    public int exitCode() {
        if (!completed || checkErrors > 0) {
            return 1;
        }
        if (corruptions > 0) {
            return 2;
        }
        return leaks > 0 ? 3 : 0;
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> f.severity() == Severity.WARNING).toList();
    }
}

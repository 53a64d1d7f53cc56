package io.qcowscope.engine.repair;

import io.qcowscope.engine.check.CheckResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an applied repair did.
 *
 * @param target            the file that was repaired (the copy, or the image itself)
 * @param journal           the undo journal, or null
 * @param before            the check the plan was made from
 * @param after             the re-check of the repaired file
 * @param applied           how many changes of each kind were written
 * @param corruptionsFixed  counted as {@code qemu-img check -r} counts them (spec 5.4)
 * @param leaksFixed        likewise
 * @param note              why the repair stopped early, or null
 */
public record RepairReport(Path target, Path journal, CheckResult before, CheckResult after, Map<FixKind, Integer> applied,
        long corruptionsFixed, long leaksFixed, String note) {

    public RepairReport {
        applied = Map.copyOf(applied);
    }
}

package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.ImageChecker;
import java.nio.file.Path;
import java.util.List;

/**
 * The result card after an apply that included a repair: the check the plan was made from, the engine's re-check of the
 * file written (the image in place, or the copy), and what each operation reported.
 */
public record RepairResult(Path target, boolean inPlace, Path journal, CheckResult before, CheckResult after,
        List<String> summaries) {

    public RepairResult {
        summaries = List.copyOf(summaries);
    }

    /** Clean by {@code qemu-img check}'s rules: exit status 0 (no corruption, leak or check error, spec 5.7). */
    public boolean clean() {
        return after.exitCode() == 0;
    }

    /** "3 corruptions, 1 leaked cluster, 0 check errors" for one check. */
    public static String counters(CheckResult r) {
        return io.qcowscope.engine.format.Plural.of(r.corruptions(), "corruption") + ", "
                + io.qcowscope.engine.format.Plural.of(r.leaks(), "leaked cluster") + ", "
                + io.qcowscope.engine.format.Plural.of(r.checkErrors(), "check error");
    }

    /** The re-check's problem lines as qemu-img prints them. */
    public List<String> remaining() {
        return ImageChecker.problemLines(after);
    }
}

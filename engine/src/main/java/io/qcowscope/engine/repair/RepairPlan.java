package io.qcowscope.engine.repair;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.Finding;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An ordered list of fixes computed from a check, for review before anything is written. Refcount fixes are recomputed when
 * the plan is applied, after the entry fixes, from the references found then; the plan shows them as they stand now.
 *
 * @param unfixable findings no fix in the plan answers
 */
public record RepairPlan(Path image, CheckResult check, List<Fix> fixes, List<Finding> unfixable) {

    public RepairPlan {
        fixes = List.copyOf(fixes);
        unfixable = List.copyOf(unfixable);
    }

    /**
     * The plan with only the fixes of the named kinds ({@link FixKind#option()}) selected. Naming the non-default way to
     * mend a damage (for example {@code past-eof-extend}) selects it instead of the default.
     */
    public RepairPlan only(Set<String> options) {
        return new RepairPlan(image, check, fixes.stream().map(f -> f.withSelected(chosen(f, options)))
                .collect(Collectors.toList()), unfixable);
    }

    private boolean chosen(Fix f, Set<String> options) {
        if (!options.contains(f.kind().option())) {
            return false;
        }
        if (f.alternativeTo() >= 0) {
            return true;
        }
        for (Fix g : fixes) {
            if (g.alternativeTo() == f.id() && options.contains(g.kind().option())) {
                return false;
            }
        }
        return f.selected();
    }

    /** The plan with exactly these fix ids selected. */
    public RepairPlan select(Set<Integer> ids) {
        return new RepairPlan(image, check, fixes.stream().map(f -> f.withSelected(ids.contains(f.id())))
                .collect(Collectors.toList()), unfixable);
    }

    public List<Fix> selected() {
        return fixes.stream().filter(Fix::selected).toList();
    }

    public boolean selects(FixKind kind) {
        return fixes.stream().anyMatch(f -> f.selected() && f.kind() == kind);
    }
}

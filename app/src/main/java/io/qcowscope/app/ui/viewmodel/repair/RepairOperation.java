package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.app.ui.viewmodel.edit.PendingOperation;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.RepairApplier;
import io.qcowscope.engine.repair.RepairPlan;
import io.qcowscope.engine.repair.RepairReport;
import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A repair plan with the user's choices, queued: applied to the apply's target (the image in place, recording into the
 * apply's undo journal, or a fresh copy of it) by the engine's {@link RepairApplier}, which refuses a plan whose bytes
 * changed since it was made and recomputes the refcounts after the entry fixes.
 */
public final class RepairOperation implements PendingOperation {
    private final RepairPlan plan;
    private volatile RepairReport report;

    /** {@code plan} as the user left it: {@link Fix#selected()} says what is applied. */
    public RepairOperation(RepairPlan plan) {
        this.plan = plan;
    }

    public RepairPlan plan() {
        return plan;
    }

    /** What the apply did, null until it ran. */
    public RepairReport report() {
        return report;
    }

    @Override
    public String title() {
        return "Repair: " + Plural.of(plan.selected().size(), "fix", "fixes") + " of " + plan.fixes().size()
                + " (before: " + RepairResult.counters(plan.check()) + ")";
    }

    @Override
    public List<String> changes() {
        List<String> out = new ArrayList<>();
        for (Fix f : plan.selected()) {
            out.add(f.kind().option() + " [" + f.risk().label() + "] " + f.path() + ": " + f.kind().summary());
        }
        return out;
    }

    @Override
    public boolean isRepair() {
        return true;
    }

    @Override
    public RiskLevel risk() {
        return plan.selected().stream().map(Fix::risk).max(Comparator.naturalOrder()).orElse(RiskLevel.SAFE);
    }

    @Override
    public String apply(Path target, UndoJournal journal, ProgressMonitor monitor) throws IOException {
        RepairPlan onTarget = new RepairPlan(target, plan.check(), plan.fixes(), plan.unfixable());
        RepairApplier.Mode mode = journal == null ? new RepairApplier.InPlace(null)
                : new RepairApplier.Journaled(journal);
        RepairReport r = RepairApplier.apply(onTarget, mode, monitor);
        report = r;
        return summary(r);
    }

    /** One line: what was written, and what the re-check found ("3 fixes applied: ...; now clean"). */
    static String summary(RepairReport r) {
        StringBuilder b = new StringBuilder();
        int n = r.applied().values().stream().mapToInt(Integer::intValue).sum();
        b.append(Plural.of(n, "change")).append(" written");
        String kinds = r.applied().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey().option()).reduce((x, y) -> x + ", " + y).orElse("");
        if (!kinds.isEmpty()) {
            b.append(" (").append(kinds).append(')');
        }
        long left = r.after().corruptions() + r.after().leaks() + r.after().checkErrors();
        b.append(left == 0 && r.after().completed() ? "; the re-check finds the image clean"
                : "; the re-check finds " + Plural.of(left, "problem"));
        return b.toString();
    }
}

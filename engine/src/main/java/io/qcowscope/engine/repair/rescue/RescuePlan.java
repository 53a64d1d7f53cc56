package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.repair.RepairPlan;
import java.util.List;

/**
 * A repair plan that starts where opening stops (issue 14): the rescue fixes first (header fields, snapshot L1 tables,
 * the backing link, orphan L2 tables), then the repair plan computed on the image as the selected rescue fixes leave it.
 * {@link #plan()} goes through the same review / apply-to-copy / in-place-with-journal / undo machinery as any plan.
 *
 * @param header  the damaged header fields with their candidates and evidence
 * @param orphans clusters that read as L2 tables or refcount blocks but that no table points to
 * @param pending why the rest of the plan could not be computed (a header field needs the user's choice), or null
 */
public record RescuePlan(RepairPlan plan, List<HeaderDamage> header, List<OrphanTables.Orphan> orphans,
        String pending) {

    public RescuePlan {
        header = List.copyOf(header);
        orphans = List.copyOf(orphans);
    }
}

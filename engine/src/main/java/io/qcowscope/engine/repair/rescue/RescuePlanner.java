package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.HostLayout;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.repair.RepairPlan;
import io.qcowscope.engine.repair.RepairPlanner;
import io.qcowscope.engine.storage.FileStorage;
import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plans the repair of an image nobody can open (issue 14): {@link RescueOpen} mends the header in memory, then unreadable
 * snapshot L1 tables and a broken backing link get their fixes, then {@link RepairPlanner} plans the rest on the file as
 * the selected rescue fixes leave it, and orphan L2 tables are offered for re-linking last. Nothing is written. For an
 * image that opens and has none of this damage, the plan is exactly {@link RepairPlanner}'s.
 */
public final class RescuePlanner {
    private RescuePlanner() {
    }

    /** Options of a rescue: header values the user chose ({@code --choose}), and a backing file to re-point to. */
    public record Options(Map<String, Long> choices, Path backingFile) {
        public Options {
            choices = Map.copyOf(choices);
        }

        public static Options defaults() {
            return new Options(Map.of(), null);
        }
    }

    /**
     * Why the file is no damaged qcow2 image (nothing to rescue), or null when a rescue may mend it: it carries the qcow2
     * magic, or without it the tables a qcow2 header places (spec 1.1). Reads the header cluster only, so the window can
     * ask before it offers a rescue.
     */
    public static String nothingToRescue(Path image) throws IOException {
        try (Storage file = FileStorage.openReadOnly(image)) {
            return new HeaderEvidence(file, HeaderEvidence.readHead(file)).nothingToRescue();
        }
    }

    /** @throws NotQcow2Exception when the file is not a damaged qcow2 image */
    public static RescuePlan plan(Path image, Options options, ProgressMonitor monitor) throws IOException {
        try (Storage file = FileStorage.openReadOnly(image)) {
            RescueOpen.Result r = RescueOpen.read(file, options.choices(), monitor);
            FixList fixes = new FixList();
            for (HeaderDamage d : r.damages()) {
                headerFixes(d, fixes);
            }
            if (r.pending() != null) {
                CheckResult none = new CheckResult(false, r.pending(), 0, 0, 1, 0, 0, 0, 0, 0, false, List.of(), 0);
                return new RescuePlan(new RepairPlan(image, none, fixes.fixes(), List.of()), r.damages(), List.of(),
                        r.pending());
            }
            try (Qcow2Image img = TrialCheck.open(file, r.patches())) {
                L1Cutback.plan(img, fixes);
                SnapshotRescue.plan(img, fixes, monitor);
                BackingRelink.plan(new PatchedView(file, r.patches()), image, img, options.backingFile(), fixes);
            }
            List<Patch> selected = fixes.selectedPatches();
            try (Qcow2Image img = TrialCheck.open(file, selected)) {
                RepairPlan rest = RepairPlanner.plan(image, img, monitor);
                fixes.addAll(rest.fixes());
                HostLayout layout = HostLayout.build(img, monitor);
                List<OrphanTables.Orphan> orphans = OrphanTables.find(img, layout, monitor);
                OrphanTables.plan(img, layout, orphans, fixes);
                return new RescuePlan(new RepairPlan(image, rest.check(), fixes.fixes(), rest.unfixable()), r.damages(),
                        orphans, null);
            }
        }
    }

    /** One fix per candidate, the chosen one first and selected; the others are its alternatives. */
    private static void headerFixes(HeaderDamage d, FixList fixes) {
        List<Candidate> order = new ArrayList<>(d.candidates());
        if (d.chosen() > 0) {
            order.add(0, order.remove(d.chosen()));
        }
        int first = -1;
        for (Candidate c : order) {
            // l1_size's alternative sets the virtual size instead: another field, another risk.
            boolean size = d.kind() == FixKind.RESCUE_L1_SIZE && c.patches().stream().anyMatch(p -> p.offset() == 24);
            // the magic and feature bits read as bit patterns (spec 1.1), the other fields as numbers
            String value = d.field().equals("magic") || d.field().endsWith("_features")
                    ? String.format("0x%x", c.value()) : Long.toString(c.value());
            String why = String.format("%s; candidate %s: %s (score %d)%s", d.problem(), value,
                    c.evidence(), c.score(), d.chosen() < 0 ? "; none is chosen by default: --choose "
                            + d.field() + "=VALUE" : "");
            int id = fixes.add(size ? FixKind.RESCUE_VIRTUAL_SIZE : d.kind(), "header." + (size ? "size" : d.field()),
                    d.offset(), c.patches(), null, why, -1, 0, first, first < 0 && d.chosen() >= 0);
            if (first < 0) {
                first = id;
            }
        }
    }
}

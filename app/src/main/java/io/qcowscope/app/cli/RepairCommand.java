package io.qcowscope.app.cli;

import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.repair.RepairApplier;
import io.qcowscope.engine.repair.RepairPlan;
import io.qcowscope.engine.repair.RepairPlanner;
import io.qcowscope.engine.repair.RepairReport;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code qcowscope repair}: a reviewable repair (issue 5). {@code --plan} shows every fix with its bytes, reason, guest
 * range and risk; {@code --apply} writes a repaired copy, or repairs in place behind an undo journal.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Plan a repair, or apply it to a copy or in place with an undo journal.",
            "Where qemu-img check -r all stops, this repair goes on (it does better than QEMU, on purpose): a pointer "
                    + "into another structure (an L1 entry whose L2 table is the header, an L1 or refcount table, or "
                    + "guest data; a data cluster that is metadata; an l1_size running into other structures; a "
                    + "snapshot L1 entry or table, or the snapshot table, inside another structure) is fixed on the "
                    + "pointer, never on the structure it hits, by default so that the guest reads the same bytes (a "
                    + "cluster copied out, a new L2 table that reads the same, l1_size trimmed); a file cut short is "
                    + "extended with zeros (past-eof-extend) unless the reference is far past the end.",
            "Two checks on every apply: each write is checked against the clusters other structures own (like QEMU's "
                    + "metadata overlap check) and a write into another structure is refused before anything is written; "
                    + "when every selected fix is safe or rewrites-metadata, the guest content is compared before and "
                    + "after, and a difference undoes the apply (the copy is deleted, in place the journal is played "
                    + "back) naming the fix."})
public final class RepairCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--output", defaultValue = "human", description = "human or json")
    OutputFormat output;

    @Option(names = "--plan", description = "Show the plan; change nothing (the default).")
    boolean planOnly;

    @Option(names = "--apply", description = "Apply the plan.")
    boolean apply;

    @Option(names = "--only", split = ",", paramLabel = "KINDS",
            description = "Apply only these kinds of fix (leaks, refcounts, rebuild, copied, snapshots, prealloc, "
                    + "header-bits, reserved-bits, compressed, past-eof-drop, past-eof-extend, subclusters-data, "
                    + "subclusters-zero, alloc-bits, unaligned, unshare, l1-flags, aliased-table-copy, aliased-table, "
                    + "aliased-copy, aliased-drop, l1-size, snapshot-drop, snapshots-drop).")
    Set<String> only;

    @Option(names = "--skip", split = ",", paramLabel = "IDS", description = "Deselect these fix ids.")
    Set<Integer> skip;

    @ArgGroup(exclusive = true)
    Target target;

    static final class Target {
        @Option(names = "--to", paramLabel = "COPY", description = "Repair a copy written here (the default mode).")
        Path copy;

        @ArgGroup(exclusive = false)
        InPlace inPlace;
    }

    static final class InPlace {
        @Option(names = "--in-place", required = true, description = "Repair the image itself.")
        boolean inPlace;

        @Option(names = "--journal", required = true, paramLabel = "FILE",
                description = "Undo journal to write before the first change.")
        Path journal;
    }

    @Parameters(paramLabel = "IMAGE")
    Path image;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RepairPlan plan = RepairPlanner.plan(image, ProgressMonitor.NONE);
        if (only != null) {
            Set<String> known = Arrays.stream(FixKind.values()).map(FixKind::option).collect(Collectors.toSet());
            for (String o : only) {
                if (!known.contains(o)) {
                    throw new IllegalArgumentException("unknown fix kind '" + o + "'; known: " + new java.util.TreeSet<>(known));
                }
            }
            plan = plan.only(only);
        }
        if (skip != null) {
            Set<Integer> ids = new HashSet<>();
            for (Fix f : plan.fixes()) {
                if (f.selected() && !skip.contains(f.id())) {
                    ids.add(f.id());
                }
            }
            plan = plan.select(ids);
        }
        if (!apply) {
            if (output == OutputFormat.json) {
                out.println(Json.pretty(planJson(plan)));
            } else {
                printPlan(out, plan);
            }
            out.flush();
            return 0;
        }
        RepairApplier.Mode mode;
        if (target != null && target.inPlace != null) {
            mode = new RepairApplier.InPlace(target.inPlace.journal);
        } else if (target != null && target.copy != null) {
            mode = new RepairApplier.ToCopy(target.copy);
        } else {
            throw new IllegalArgumentException("--apply needs --to COPY or --in-place --journal FILE");
        }
        RepairReport r = RepairApplier.apply(plan, mode, ProgressMonitor.NONE);
        if (output == OutputFormat.json) {
            out.println(Json.pretty(reportJson(r)));
        } else {
            out.println("repaired " + r.target() + (r.journal() != null ? " (undo journal " + r.journal() + ")" : ""));
            for (Map.Entry<FixKind, Integer> e : r.applied().entrySet()) {
                out.printf("  %-24s %d%n", e.getKey().option() + " (" + e.getKey().risk().label() + ")", e.getValue());
            }
            out.println("re-check:");
            CheckCommand.printHuman(out, r.after(), 0);
        }
        out.flush();
        return r.after().exitCode();
    }

    static JsonObject planJson(RepairPlan plan) {
        JsonObject o = new JsonObject();
        o.put("image", plan.image().toString());
        JsonObject c = o.putObject("check");
        c.put("corruptions", plan.check().corruptions());
        c.put("leaks", plan.check().leaks());
        c.put("check-errors", plan.check().checkErrors());
        List<Object> fixes = o.putArray("fixes");
        for (Fix f : plan.fixes()) {
            JsonObject n = new JsonObject();
            fixes.add(n);
            n.put("id", f.id());
            n.put("kind", f.kind().option());
            n.put("risk", f.risk().label());
            n.put("selected", f.selected());
            if (f.alternativeTo() >= 0) {
                n.put("alternative-to", f.alternativeTo());
            }
            n.put("qemu-repairs", f.kind().qemuRepairs());
            n.put("path", f.path());
            if (f.byteOffset() >= 0) {
                n.put("offset", f.byteOffset());
            }
            n.put("what", f.kind().summary());
            n.put("why", f.why());
            if (f.guestOffset() >= 0) {
                n.put("guest-offset", f.guestOffset());
                n.put("guest-length", f.guestLength());
            }
            List<Object> ps = n.putArray("patches");
            for (Patch p : f.patches()) {
                JsonObject pn = new JsonObject();
                ps.add(pn);
                pn.put("offset", p.offset());
                pn.put("old", p.beforeHex());
                pn.put("new", p.afterHex());
            }
            if (f.newStructure() != null) {
                n.put("new-structure", f.newStructure());
            }
        }
        List<Object> un = o.putArray("unfixable");
        for (Finding f : plan.unfixable()) {
            JsonObject n = new JsonObject();
            un.add(n);
            n.put("kind", f.kind().name());
            n.put("path", f.path());
            n.put("message", f.message());
        }
        return o;
    }

    static void printPlan(PrintWriter out, RepairPlan plan) {
        out.printf("Repair plan for %s: %d corruptions, %d leaks, %d check errors%n", plan.image(),
                plan.check().corruptions(), plan.check().leaks(), plan.check().checkErrors());
        if (plan.fixes().isEmpty()) {
            out.println("Nothing to repair.");
        }
        for (Fix f : plan.fixes()) {
            out.printf("%s %3d  %-18s %-18s %s%n", f.selected() ? "[x]" : "[ ]", f.id(), f.kind().option(),
                    f.risk().label(), f.path() + (f.alternativeTo() >= 0 ? "  (instead of " + f.alternativeTo() + ")"
                            : ""));
            out.println("          why:  " + f.why());
            out.println("          does: " + f.kind().summary());
            if (f.guestOffset() >= 0) {
                out.printf("          guest range: 0x%x..0x%x%n", f.guestOffset(), f.guestOffset() + f.guestLength());
            }
            for (Patch p : f.patches()) {
                out.printf("          at 0x%x: %s -> %s%n", p.offset(), p.beforeHex(), p.afterHex());
            }
            if (f.newStructure() != null) {
                out.println("          writes: " + f.newStructure());
            }
        }
        for (Finding f : plan.unfixable()) {
            out.println("not repairable: " + f.message());
        }
    }

    static JsonObject reportJson(RepairReport r) {
        JsonObject o = new JsonObject();
        o.put("target", r.target().toString());
        if (r.journal() != null) {
            o.put("journal", r.journal().toString());
        }
        JsonObject a = o.putObject("applied");
        for (Map.Entry<FixKind, Integer> e : r.applied().entrySet()) {
            a.put(e.getKey().option(), e.getValue());
        }
        o.put("corruptions-fixed", r.corruptionsFixed());
        o.put("leaks-fixed", r.leaksFixed());
        o.put("re-check", CheckCommand.json(r.after(), r.target().toString()));
        return o;
    }
}

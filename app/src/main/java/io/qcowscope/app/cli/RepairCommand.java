package io.qcowscope.app.cli;

import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.repair.RepairApplier;
import io.qcowscope.engine.repair.RepairPlan;
import io.qcowscope.engine.repair.RepairReport;
import io.qcowscope.engine.repair.rescue.Candidate;
import io.qcowscope.engine.repair.rescue.HeaderDamage;
import io.qcowscope.engine.repair.rescue.OrphanTables;
import io.qcowscope.engine.repair.rescue.RescuePlan;
import io.qcowscope.engine.repair.rescue.RescuePlanner;
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
                    + "back) naming the fix.",
            "Rescue (qemu-img gives up on all of these): an image whose header fails validation is read field by "
                    + "field; each damaged field (magic, version, cluster_bits, l1_size, the virtual size, "
                    + "refcount_order, unknown incompatible bits, the header extension area) gets candidate values "
                    + "with their evidence from the file, and the default only when the evidence is conclusive "
                    + "(--choose FIELD=VALUE otherwise). A snapshot whose L1 table is unreadable is pointed at the "
                    + "table found in the file, or dropped; its clusters are not freed while another snapshot needs "
                    + "them. A missing or looping backing file can be re-pointed (--backing-file, checked) or dropped, "
                    + "never by default. Orphan L2 tables and refcount blocks are listed, and re-linking an orphan L2 "
                    + "table, or an orphan refcount block into the empty slot its refcounts match, is offered, never "
                    + "by default. Rescue fixes are written first; the rest of the plan is "
                    + "computed on the image as they leave it. A file that is no damaged qcow2 image gets no plan."})
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
                    + "aliased-copy, aliased-drop, l1-size, snapshot-drop, snapshots-drop; rescue: header-magic, "
                    + "header-version, header-cluster-bits, header-l1-size, header-size, header-refcount-order, "
                    + "header-unknown-features, header-extensions, snapshot-l1-search, snapshot-unreadable-drop, "
                    + "backing-repoint, backing-drop, orphan-relink, orphan-refblock-relink).")
    Set<String> only;

    @Option(names = "--skip", split = ",", paramLabel = "IDS", description = "Deselect these fix ids.")
    Set<Integer> skip;

    @Option(names = "--select", split = ",", paramLabel = "IDS",
            description = "Select these fix ids too (an alternative is selected instead of the fix it replaces).")
    Set<Integer> select;

    @Option(names = "--choose", paramLabel = "FIELD=VALUE",
            description = "Rescue: take this value for a damaged header field (e.g. cluster_bits=16) instead of the "
                    + "default candidate; the rest of the plan is computed with it.")
    Map<String, Long> choose;

    @Option(names = "--backing-file", paramLabel = "FILE",
            description = "Rescue: offer re-pointing a missing or looping backing link to FILE (checked for format, "
                    + "virtual size and loops; selected only with --only backing-repoint or --select).")
    Path backingFile;

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
        RescuePlan rescue = RescuePlanner.plan(image, new RescuePlanner.Options(choose == null ? Map.of() : choose,
                backingFile), ProgressMonitor.NONE);
        RepairPlan plan = rescue.plan();
        if (only != null) {
            Set<String> known = Arrays.stream(FixKind.values()).map(FixKind::option).collect(Collectors.toSet());
            for (String o : only) {
                if (!known.contains(o)) {
                    throw new IllegalArgumentException("unknown fix kind '" + o + "'; known: " + new java.util.TreeSet<>(known));
                }
            }
            Set<Integer> header = plan.selected().stream().filter(f -> f.kind().option().startsWith("header-"))
                    .map(Fix::id).collect(Collectors.toSet());
            RepairPlan all = plan;
            plan = plan.only(only);
            // The chosen header fixes make the image openable: every other fix needs them, and they stay as chosen.
            Set<Integer> ids = plan.selected().stream().map(Fix::id).collect(Collectors.toSet());
            ids.removeIf(id -> all.fixes().get(id).kind().option().startsWith("header-"));
            ids.addAll(header);
            // A rescue fix that is never the default (backing-drop, orphan-relink, ...) is selected by naming it.
            for (Fix f : all.fixes()) {
                if (f.kind().rescue() && only.contains(f.kind().option()) && f.alternativeTo() < 0
                        && all.fixes().stream().noneMatch(g -> g.alternativeTo() == f.id() && ids.contains(g.id()))) {
                    ids.add(f.id());
                }
            }
            plan = plan.select(ids);
        }
        if (select != null) {
            Set<Integer> ids = plan.selected().stream().map(Fix::id).collect(Collectors.toSet());
            for (Fix f : plan.fixes()) {
                if (select.contains(f.id())) {
                    ids.add(f.id());
                    ids.remove(f.alternativeTo());
                    plan.fixes().stream().filter(g -> g.alternativeTo() == f.id()).forEach(g -> ids.remove(g.id()));
                }
            }
            plan = plan.select(ids);
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
                JsonObject o = planJson(plan);
                rescueJson(o, rescue);
                out.println(Json.pretty(o));
            } else {
                printPlan(out, plan);
                printRescue(out, rescue);
            }
            out.flush();
            return 0;
        }
        if (rescue.pending() != null) {
            throw new IllegalArgumentException("cannot apply: " + rescue.pending());
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

    static void rescueJson(JsonObject o, RescuePlan r) {
        List<Object> header = o.putArray("header-damage");
        for (HeaderDamage d : r.header()) {
            JsonObject n = new JsonObject();
            header.add(n);
            n.put("field", d.field());
            n.put("offset", d.offset());
            n.put("found", d.found());
            n.put("problem", d.problem());
            if (d.choice() != null) {
                n.put("chosen", d.choice().value());
            }
            List<Object> cs = n.putArray("candidates");
            for (Candidate c : d.candidates()) {
                JsonObject cn = new JsonObject();
                cs.add(cn);
                cn.put("value", c.value());
                cn.put("score", c.score());
                cn.put("evidence", c.evidence());
            }
        }
        List<Object> orphans = o.putArray("orphans");
        for (OrphanTables.Orphan t : r.orphans()) {
            JsonObject n = new JsonObject();
            orphans.add(n);
            n.put("offset", t.offset());
            n.put("kind", t.kind());
            n.put("entries", t.entries());
            n.put("maps", t.maps());
        }
        if (r.pending() != null) {
            o.put("pending", r.pending());
        }
    }

    static void printRescue(PrintWriter out, RescuePlan r) {
        for (HeaderDamage d : r.header()) {
            out.printf("header damage: %s at byte %d: %s%n", d.field(), d.offset(), d.problem());
            for (Candidate c : d.candidates()) {
                // Bit patterns read best in hex, counts and sizes in decimal.
                boolean bits = d.field().equals("magic") || d.field().equals("incompatible_features");
                out.printf("  %s %s (score %d): %s%n", c == d.choice() ? "chosen" : "      ",
                        bits ? String.format("0x%x", c.value()) : Long.toString(c.value()), c.score(), c.evidence());
            }
            if (d.choice() == null) {
                out.printf("  none chosen: --choose %s=VALUE%n", d.field());
            }
        }
        for (OrphanTables.Orphan t : r.orphans()) {
            out.printf("orphan %s at 0x%x: %d entries, would map %s%n", t.kind(), t.offset(), t.entries(), t.maps());
        }
        if (r.pending() != null) {
            out.println("rest of the plan pending: " + r.pending());
        }
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

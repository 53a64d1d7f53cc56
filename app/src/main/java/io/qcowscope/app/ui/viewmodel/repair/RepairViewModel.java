package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskHandle;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.app.ui.viewmodel.HostLayoutSource;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.app.ui.viewmodel.SelectionModel;
import io.qcowscope.app.ui.viewmodel.edit.OperationQueue;
import io.qcowscope.app.ui.viewmodel.edit.PendingOperation;
import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.ImageChecker;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.RepairPlan;
import io.qcowscope.engine.repair.RepairPlanner;
import io.qcowscope.engine.repair.RiskLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The repair workspace (issue 9): plans a repair in the background, lists every fix with the user's choices (one way of
 * two to mend a damage, fixes left out), recomputes the refcounts the apply will write after those choices, previews
 * what the fix looked at changes, queues the plan (or QEMU's own {@code check -r}) and, after an apply that ran it, shows
 * the engine's re-check of the file written.
 */
public final class RepairViewModel {
    /** Kinds the engine applies as a whole from the references found at apply time, never one fix at a time. */
    private static final Set<FixKind> RECOMPUTED = EnumSet.of(FixKind.FREE_LEAK, FixKind.RAISE_REFCOUNT,
            FixKind.FIX_COPIED);
    /** Kinds that write no entry: choosing only these leaves the references as they are. */
    private static final Set<FixKind> NOT_STRUCTURAL = EnumSet.of(FixKind.FREE_LEAK, FixKind.RAISE_REFCOUNT,
            FixKind.FIX_COPIED, FixKind.REBUILD_REFCOUNTS, FixKind.CLEAR_DIRTY_BIT, FixKind.CLEAR_CORRUPT_BIT);

    private final TaskExecutor executor;
    private final SelectionModel selection;
    private final OperationQueue queue;
    private final RepairPreview preview = new RepairPreview();
    private final ObservableList<FixRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> unfixable = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper planning = new ReadOnlyBooleanWrapper(this, "planning", false);
    private final ReadOnlyBooleanWrapper planned = new ReadOnlyBooleanWrapper(this, "planned", false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper choice = new ReadOnlyStringWrapper(this, "choice", "");
    private final ReadOnlyStringWrapper previewCaption = new ReadOnlyStringWrapper(this, "previewCaption", "");
    private final ReadOnlyObjectWrapper<FixRow> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final ReadOnlyObjectWrapper<RepairResult> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyBooleanWrapper rechecking = new ReadOnlyBooleanWrapper(this, "rechecking", false);
    private final ReadOnlyObjectWrapper<Path> backingFile = new ReadOnlyObjectWrapper<>(this, "backingFile");
    private final ReadOnlyBooleanWrapper backingBroken = new ReadOnlyBooleanWrapper(this, "backingBroken", false);
    /** Said before the next plan's status, once (why a named backing file was not used). */
    private String lead = "";
    private final List<PendingOperation> queued = new ArrayList<>();
    private ImageSession session;
    /** The image the result card's apply was made from (for a copy, not its target), null without a card. */
    private Path resultSource;
    private RepairPlan plan;
    private List<FixRow> planRows = List.of();
    private TaskHandle task;
    /** Number of the latest plan request; a cancelled or older plan that finishes later is dropped. */
    private long plans;
    private long planNanos;

    public RepairViewModel(TaskExecutor executor, SelectionModel selection, OperationQueue queue) {
        this.executor = executor;
        this.selection = selection;
        this.queue = queue;
        queue.lastOutcomeProperty().addListener((o, a, b) -> {
            if (b != null) {
                applied(b);
            }
        });
    }

    /**
     * A new image (or the same reopened after an apply): the plan is gone. A result card stays for the file it was
     * written to, and for the image an apply to a copy was made from: the window reopens that image after the apply,
     * often after the copy's re-check has already finished.
     */
    public void setSession(ImageSession s) {
        cancel();
        session = s;
        clearPlan();
        backingFile.set(null);
        lead = "";
        status.set("");
        RepairResult r = result.get();
        if (r != null && (s == null || !s.path().equals(r.target()) && !s.path().equals(resultSource))) {
            result.set(null);
        }
    }

    private void clearPlan() {
        plan = null;
        planRows = List.of();
        rows.clear();
        unfixable.clear();
        planned.set(false);
        backingBroken.set(false);
        show(null);
        choice.set("");
    }

    /** The layout scan finished: the recomputed refcounts can be forecast now. */
    public void layoutScanned() {
        if (plan != null) {
            recompute();
        }
    }

    /** "Plan repair": runs the engine's planner on the open image in the background (progress, Cancel). */
    public void plan() {
        if (session == null || planning.get()) {
            return;
        }
        ImageSession s = session;
        Path path = s.path();
        clearPlan();
        planning.set(true);
        progress.set(-1);
        status.set("planning the repair of " + path.getFileName());
        long t0 = System.nanoTime();
        long request = ++plans;
        Path backing = backingFile.get();
        task = executor.execute("plan repair", m -> {
            RepairPlan p = planOf(path, backing, m);
            Map<Integer, FixFacts> facts = new HashMap<>();
            try (Qcow2Image img = Qcow2Image.open(path, OpenOptions.readOnly().withCheckMode(true)
                    .withBackingChain(false))) {
                FixAnatomy a = new FixAnatomy(img, p.check());
                for (Fix f : p.fixes()) {
                    m.checkCancelled();
                    facts.put(f.id(), a.of(f));
                }
            }
            return new Planned(p, facts);
        }, new TaskListener<Planned>() {
            @Override
            public void progress(double f) {
                if (request == plans) {
                    progress.set(f);
                }
            }

            @Override
            public void succeeded(Planned p) {
                if (request != plans || session != s) {
                    return;
                }
                planning.set(false);
                showPlan(p);
                planNanos = System.nanoTime() - t0;
                String first = lead;
                lead = "";
                status.set(first + String.format("%s planned in %.0f ms from %s", Plural.of(plan.fixes().size(), "fix",
                        "fixes"), planNanos / 1e6, RepairResult.counters(plan.check())));
            }

            @Override
            public void failed(Throwable e) {
                if (request != plans) {
                    return;
                }
                planning.set(false);
                if (backing != null && e instanceof io.qcowscope.engine.format.Qcow2Exception) {
                    // the engine refused the file named (format, virtual size, loop): plan without it, and say why
                    backingFile.set(null);
                    lead = "cannot point the backing link at " + backing.getFileName() + ": " + e.getMessage() + "; ";
                    plan();
                    return;
                }
                lead = "";
                status.set("cannot plan the repair: " + e.getMessage());
            }

            @Override
            public void cancelled() {
                if (request == plans) {
                    planning.set(false);
                    status.set("planning cancelled");
                }
            }
        });
    }

    /**
     * The rescue planner's plan (issue 14): the repair planner's, plus what only a rescue mends on an image that opens
     * (orphan tables to re-link, unreadable snapshot L1 tables, a broken backing link, an L1 table past the file).
     */
    static RepairPlan planOf(Path path, Path backing, io.qcowscope.engine.task.ProgressMonitor m)
            throws java.io.IOException {
        var r = io.qcowscope.engine.repair.rescue.RescuePlanner.plan(path,
                new io.qcowscope.engine.repair.rescue.RescuePlanner.Options(Map.of(), backing), m);
        return r.pending() == null ? r.plan() : RepairPlanner.plan(path, m);
    }

    /**
     * "Point at another backing file...": the file the user named for a missing or looping backing link. The plan is
     * made again with it; the engine checks it (qcow2 or raw, the image's virtual size, no loop back to the image) and
     * offers re-pointing the link as the other way to dropping it, neither chosen by default. A file it refuses is not
     * used, and the status says why.
     */
    public void pointBackingAt(Path file) {
        if (session == null || file == null || planning.get()) {
            return;
        }
        backingFile.set(file.toAbsolutePath().normalize());
        plan();
    }

    /** The backing file named for the broken link, null when none is. */
    public ReadOnlyObjectProperty<Path> backingFileProperty() {
        return backingFile.getReadOnlyProperty();
    }

    /** The plan found a missing or looping backing link: another backing file can be named. */
    public ReadOnlyBooleanProperty backingBrokenProperty() {
        return backingBroken.getReadOnlyProperty();
    }

    /** The plan and what each fix touches, read off the UI thread. */
    private record Planned(RepairPlan plan, Map<Integer, FixFacts> facts) {
    }

    public void cancel() {
        plans++;
        if (task != null) {
            task.cancel();
            task = null;
        }
        if (planning.get()) {
            planning.set(false);
            status.set("planning cancelled");
        }
    }

    private void showPlan(Planned p) {
        plan = p.plan();
        Map<Integer, Integer> groupOf = new HashMap<>();
        for (Fix f : plan.fixes()) {
            if (f.alternativeTo() >= 0) {
                groupOf.put(f.id(), f.alternativeTo());
                groupOf.put(f.alternativeTo(), f.alternativeTo());
            }
        }
        List<FixRow> list = new ArrayList<>();
        for (Fix f : plan.fixes()) {
            FixFacts facts = p.facts().get(f.id());
            list.add(new FixRow(f, groupOf.getOrDefault(f.id(), -1), false, facts, FixCrumbs.of(f, facts, selection, l2Entries()),
                    facts.plannedRefcounts()));
        }
        planRows = List.copyOf(list);
        backingBroken.set(plan.fixes().stream().anyMatch(f -> f.kind() == FixKind.DROP_BACKING
                || f.kind() == FixKind.REPOINT_BACKING));
        unfixable.setAll(plan.unfixable().stream().map(u -> u.message()).toList());
        planned.set(true);
        recompute();
    }

    /** Ticks or clears a fix; ticking one way of mending a damage clears the other. */
    public void setChosen(FixRow row, boolean chosen) {
        if (row.dependent() || row.isChosen() == chosen) {
            return;
        }
        if (RECOMPUTED.contains(row.kind())) {
            // the apply writes these as a whole, from the references it finds (RepairApplier)
            for (FixRow r : planRows) {
                if (r.kind() == row.kind()) {
                    r.setChosen(chosen);
                }
            }
        } else {
            row.setChosen(chosen);
        }
        if (chosen && row.hasAlternative()) {
            for (FixRow r : planRows) {
                if (r != row && r.group() == row.group()) {
                    r.setChosen(false);
                }
            }
        }
        recompute();
    }

    /** The radio button of a damage with two fixes: this way, not the other. */
    public void choose(FixRow row) {
        setChosen(row, true);
    }

    /** Shows a fix: its preview on the other views. */
    public void show(FixRow row) {
        current.set(row);
        preview.show(row == null ? null : row.preview());
        previewCaption.set(row == null || row.preview().isEmpty() ? "" : "Hatched: what "
                + (row.id() < 0 ? "the recomputed refcount" : "fix " + row.id() + " (" + row.kindLabel() + ")")
                + " would change; nothing is written until the queue is applied");
    }

    /** One line under the host map while a fix is previewed; empty otherwise. */
    public ReadOnlyStringProperty previewCaptionProperty() {
        return previewCaption.getReadOnlyProperty();
    }

    /**
     * The refcounts the apply will write, recomputed from the references the chosen fixes leave (RepairApplier writes
     * refcounts after the entry fixes, spec 5.4): the planned refcount fixes a choice makes unnecessary are marked so, and
     * clusters a choice re-points get a dependent row of their own.
     */
    private void recompute() {
        HostLayoutSource layout = session == null ? null : session.layout();
        TreeMap<Long, Long> delta = new TreeMap<>();
        boolean structural = false;
        boolean rebuild = false;
        for (FixRow r : planRows) {
            if (!r.isChosen()) {
                continue;
            }
            rebuild |= r.kind() == FixKind.REBUILD_REFCOUNTS;
            structural |= !NOT_STRUCTURAL.contains(r.kind());
            if (RECOMPUTED.contains(r.kind())) {
                continue;
            }
            long[] d = r.facts().refDeltas();
            for (int i = 0; i < d.length; i += 2) {
                delta.merge(d[i], d[i + 1], Long::sum);
            }
        }
        Set<Long> covered = new HashSet<>();
        for (FixRow r : planRows) {
            r.setNote(note(r, structural, layout, delta, covered));
            r.setPreview(previewOf(r, layout, delta));
        }
        List<FixRow> all = new ArrayList<>(planRows);
        int next = -1;
        for (Map.Entry<Long, Long> e : delta.entrySet()) {
            long c = e.getKey();
            if (covered.contains(c) || e.getValue() == 0 || layout == null) {
                continue;
            }
            long stored = c < layout.clusterCount() ? layout.storedRefcount(c) : 0;
            long after = found(layout, c) + e.getValue();
            if (after == stored || after < 0) {
                continue;
            }
            FixKind k = after > stored ? FixKind.RAISE_REFCOUNT : FixKind.FREE_LEAK;
            String why = "recomputed after the chosen fixes: host cluster " + c + " has " + Plural.of(after,
                    "reference") + (c < layout.clusterCount() ? ", refcount " + stored : " (a new cluster at the end)");
            Fix f = new Fix(next--, k, "refcount of host cluster " + c, -1, List.of(), null, why, -1, 0, -1, true);
            FixPreview pv = new FixPreview(new long[]{c}, new long[0], new long[]{c}, new long[]{after});
            FixFacts facts = new FixFacts(-1, -1, -1, new int[0], -1, c, -1, -1, pv, new long[0], -1, 0);
            FixRow row = new FixRow(f, -1, true, facts, FixCrumbs.of(f, facts, selection, l2Entries()), pv);
            row.setNote(rebuild ? "written by the rebuild" : "recomputed at apply");
            all.add(row);
        }
        FixRow shown = current.get();
        rows.setAll(all);
        if (shown != null) {
            FixRow same = all.stream().filter(r -> r.id() == shown.id()).findFirst().orElse(null);
            show(same);
        }
        long chosenCount = planRows.stream().filter(FixRow::isChosen).count();
        RiskLevel risk = planRows.stream().filter(FixRow::isChosen).map(FixRow::risk).max(Comparator.naturalOrder())
                .orElse(null);
        choice.set(chosenCount + " of " + Plural.of(planRows.size(), "fix", "fixes") + " chosen"
                + (risk == null ? "" : "; highest risk: " + risk.label())
                + (all.size() > planRows.size() ? "; " + Plural.of(all.size() - planRows.size(), "refcount")
                        + " recomputed after the choices" : ""));
    }

    private int l2Entries() {
        return session == null ? 1 : session.image().geometry().l2Entries();
    }

    private static long found(HostLayoutSource layout, long c) {
        return c < layout.clusterCount() ? layout.referencesFound(c) : 0;
    }

    private String note(FixRow r, boolean structural, HostLayoutSource layout, Map<Long, Long> delta,
            Set<Long> covered) {
        if (r.hasAlternative() && r.fix().alternativeTo() >= 0) {
            return "instead of fix " + r.fix().alternativeTo();
        }
        if (!RECOMPUTED.contains(r.kind())) {
            return "";
        }
        String why = structural ? "recomputed at apply (an entry fix is chosen, so every refcount is)"
                : "recomputed at apply";
        long c = r.facts().hostCluster();
        if (c < 0 || layout == null) {
            return why;
        }
        long after = found(layout, c) + delta.getOrDefault(c, 0L);
        if (r.kind() == FixKind.FIX_COPIED) {
            // OFLAG_COPIED is right exactly where the refcount will be 1 (spec 3.3)
            boolean has = !r.fix().patches().isEmpty()
                    && (java.nio.ByteBuffer.wrap(r.fix().patches().get(0).before()).getLong() & (1L << 63)) != 0;
            return has != (after == 1) ? why : "not needed after the chosen fixes";
        }
        covered.add(c);
        if (after == layout.storedRefcount(c)) {
            return "not needed after the chosen fixes";
        }
        return delta.getOrDefault(c, 0L) != 0 ? why + ": becomes " + after : why;
    }

    /** The fix's own marks, with the refcount each cluster it re-points ends with. */
    private static FixPreview previewOf(FixRow r, HostLayoutSource layout, Map<Long, Long> delta) {
        FixPreview base = r.facts().plannedRefcounts();
        long[] d = r.facts().refDeltas();
        if (layout != null && r.kind() == FixKind.REBUILD_REFCOUNTS) {
            // a rebuild writes the references found (spec 5.5)
            long[] after = base.refcountAfter().clone();
            for (int i = 0; i < after.length; i++) {
                long c = base.refcountClusters()[i];
                after[i] = found(layout, c) + delta.getOrDefault(c, 0L);
            }
            return new FixPreview(base.hostClusters(), base.l2Entries(), base.refcountClusters(), after);
        }
        if (d.length == 0 || layout == null) {
            return base;
        }
        TreeMap<Long, Long> rc = new TreeMap<>();
        for (int i = 0; i < base.refcountClusters().length; i++) {
            rc.put(base.refcountClusters()[i], base.refcountAfter()[i]);
        }
        for (int i = 0; i < d.length; i += 2) {
            rc.put(d[i], found(layout, d[i]) + delta.getOrDefault(d[i], 0L));
        }
        return new FixPreview(base.hostClusters(), base.l2Entries(),
                rc.keySet().stream().mapToLong(Long::longValue).toArray(),
                rc.values().stream().mapToLong(Long::longValue).toArray());
    }

    /** The plan with the user's choices, as the engine applies it. */
    public RepairPlan chosenPlan() {
        if (plan == null) {
            return null;
        }
        Set<Integer> ids = new HashSet<>();
        for (FixRow r : planRows) {
            if (r.isChosen()) {
                ids.add(r.id());
            }
        }
        return plan.select(ids);
    }

    /** "Queue repair": the plan with the choices as a pending operation; nothing is written until Apply. */
    public RepairOperation queueRepair() {
        RepairPlan p = chosenPlan();
        if (p == null || p.selected().isEmpty()) {
            return null;
        }
        RepairOperation op = new RepairOperation(p);
        queued.add(op);
        queue.add(op);
        status.set("queued: " + op.title() + "; Apply writes it");
        return op;
    }

    /** "Repair like qemu-img": {@code check -r all} (or {@code -r leaks}) queued the same way. */
    public QemuRepairOperation queueQemuRepair(boolean all) {
        QemuRepairOperation op = new QemuRepairOperation(all);
        queued.add(op);
        queue.add(op);
        status.set("queued: " + op.title() + "; Apply writes it");
        return op;
    }

    /** After an apply that ran one of this workspace's operations: the engine's re-check of the file written. */
    private void applied(OperationQueue.ApplyOutcome outcome) {
        List<PendingOperation> ours = outcome.applied().stream().filter(queued::contains).toList();
        if (ours.isEmpty()) {
            return;
        }
        queued.removeAll(ours);
        CheckResult before = ours.get(0) instanceof RepairOperation r ? r.plan().check()
                : plan != null ? plan.check() : session != null && session.layout() != null ? session.layout().check()
                : null;
        Path target = outcome.target();
        Path source = session != null ? session.path() : target;
        rechecking.set(true);
        status.set("re-checking " + target.getFileName());
        executor.execute("re-check", m -> {
            try (Qcow2Image img = Qcow2Image.open(target, OpenOptions.readOnly().withCheckMode(true)
                    .withBackingChain(false))) {
                return ImageChecker.check(img, m);
            }
        }, new TaskListener<CheckResult>() {
            @Override
            public void succeeded(CheckResult after) {
                rechecking.set(false);
                RepairResult r = new RepairResult(target, outcome.inPlace(), outcome.journal(),
                        before == null ? after : before, after, outcome.summaries());
                resultSource = source;
                result.set(r);
                status.set(r.clean() ? target.getFileName() + " is clean by qemu-img check's rules"
                        : target.getFileName() + " after the repair: " + RepairResult.counters(after));
            }

            @Override
            public void failed(Throwable e) {
                rechecking.set(false);
                status.set("cannot re-check " + target + ": " + e.getMessage());
            }
        });
    }

    public void dismissResult() {
        result.set(null);
    }

    public RepairPreview preview() {
        return preview;
    }

    public ObservableList<FixRow> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    public ObservableList<String> unfixable() {
        return FXCollections.unmodifiableObservableList(unfixable);
    }

    public ReadOnlyBooleanProperty planningProperty() {
        return planning.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty plannedProperty() {
        return planned.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** "5 of 7 fixes chosen; highest risk: changes-guest-data". */
    public ReadOnlyStringProperty choiceProperty() {
        return choice.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<FixRow> currentProperty() {
        return current.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<RepairResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty recheckingProperty() {
        return rechecking.getReadOnlyProperty();
    }

    /** Milliseconds from "Plan repair" to the plan shown, for the status and the benchmark; 0 before a plan. */
    public long planMillis() {
        return planNanos / 1_000_000;
    }
}

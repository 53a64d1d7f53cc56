package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskHandle;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.RepairApplier;
import io.qcowscope.engine.repair.RepairPlan;
import io.qcowscope.engine.repair.RepairReport;
import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.repair.rescue.RescuePlan;
import io.qcowscope.engine.repair.rescue.RescuePlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The rescue of an image the window cannot open (issue 14): plans through the engine's {@link RescuePlanner} in the
 * background (progress, Cancel), lists each damaged header field with its candidates and evidence (the default chosen,
 * or none when the evidence is not conclusive), every fix of the plan with the user's choices, and the orphan tables
 * found; then writes the rescue to a new copy (the default) or, when the user chooses it, to the damaged file itself
 * behind an undo journal beside it, through the engine's plan/apply/journal machinery under QEMU's locks; shows the
 * engine's re-check of what it wrote, offers to open it, and after an in-place rescue puts the file back bit for bit.
 */
public final class RescueViewModel {
    private final TaskExecutor executor;
    private final Consumer<Path> opener;
    private final ObservableList<HeaderFieldRow> fields = FXCollections.observableArrayList();
    private final ObservableList<RescueFixRow> fixes = FXCollections.observableArrayList();
    private final ObservableList<String> orphans = FXCollections.observableArrayList();
    // One read-only view each, held here: a listener on a wrapper made per call is lost when the wrapper is collected.
    private final ObservableList<HeaderFieldRow> fieldsView = FXCollections.unmodifiableObservableList(fields);
    private final ObservableList<RescueFixRow> fixesView = FXCollections.unmodifiableObservableList(fixes);
    private final ObservableList<String> orphansView = FXCollections.unmodifiableObservableList(orphans);
    private final ReadOnlyObjectWrapper<Path> image = new ReadOnlyObjectWrapper<>(this, "image");
    private final ObjectProperty<Path> target = new SimpleObjectProperty<>(this, "target");
    private final javafx.beans.property.BooleanProperty inPlace =
            new javafx.beans.property.SimpleBooleanProperty(this, "inPlace", false);
    private final ObjectProperty<Path> journal = new SimpleObjectProperty<>(this, "journal");
    private final ReadOnlyObjectWrapper<Path> lastJournal = new ReadOnlyObjectWrapper<>(this, "lastJournal");
    private final ObjectProperty<Path> backingFile = new SimpleObjectProperty<>(this, "backingFile");
    private final ReadOnlyBooleanWrapper planning = new ReadOnlyBooleanWrapper(this, "planning", false);
    private final ReadOnlyBooleanWrapper ready = new ReadOnlyBooleanWrapper(this, "ready", false);
    private final ReadOnlyBooleanWrapper writing = new ReadOnlyBooleanWrapper(this, "writing", false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper pending = new ReadOnlyStringWrapper(this, "pending", "");
    private final ReadOnlyStringWrapper choice = new ReadOnlyStringWrapper(this, "choice", "");
    private final ReadOnlyObjectWrapper<RepairResult> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final Map<String, Long> choices = new HashMap<>();
    private RescuePlan plan;
    /** Said before the next plan's status, once ("undone: ...; "). */
    private String lead = "";
    private TaskHandle task;
    /** Number of the latest request; a cancelled or older plan that finishes later is dropped. */
    private long requests;

    /** @param opener opens a file in the window (the rescued copy, when the user asks) */
    public RescueViewModel(TaskExecutor executor, Consumer<Path> opener) {
        this.executor = executor;
        this.opener = opener;
        backingFile.addListener((o, a, b) -> {
            if (image.get() != null && b != null && !b.equals(a)) {
                plan();
            }
        });
    }

    /** A new image to rescue: no choices yet, the copy beside it, and the plan computed with the defaults. */
    public void start(Path damaged) {
        cancel();
        Path p = damaged.toAbsolutePath().normalize();
        image.set(p);
        choices.clear();
        backingFile.set(null);
        result.set(null);
        lastJournal.set(null);
        inPlace.set(false);
        target.set(freeName(p));
        journal.set(io.qcowscope.app.ui.viewmodel.edit.ApplyRunner.defaultJournal(p));
        plan();
    }

    /** {@code disk-rescued.qcow2} beside {@code disk.qcow2}, numbered when that name is taken. */
    static Path freeName(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".qcow2";
        Path candidate = image.resolveSibling(stem + "-rescued" + ext);
        for (int i = 2; Files.exists(candidate) && i < 1000; i++) {
            candidate = image.resolveSibling(stem + "-rescued-" + i + ext);
        }
        return candidate;
    }

    /** Plans again with the choices made so far (in the background; nothing is written). */
    public void plan() {
        Path p = image.get();
        if (p == null) {
            return;
        }
        cancelTask();
        clearPlan();
        planning.set(true);
        progress.set(-1);
        status.set("reading " + p.getFileName() + " in rescue mode");
        long request = ++requests;
        RescuePlanner.Options options = new RescuePlanner.Options(choices, backingFile.get());
        long t0 = System.nanoTime();
        task = executor.execute("plan rescue", m -> RescuePlanner.plan(p, options, m), new TaskListener<RescuePlan>() {
            @Override
            public void progress(double f) {
                if (request == requests) {
                    progress.set(f);
                }
            }

            @Override
            public void succeeded(RescuePlan r) {
                if (request != requests) {
                    return;
                }
                planning.set(false);
                show(r);
                String first = lead;
                lead = "";
                status.set(first + String.format("%s and %s planned in %.0f ms", Plural.of(r.header().size(),
                        "damaged header field"), Plural.of(fixes.size(), "fix", "fixes"),
                        (System.nanoTime() - t0) / 1e6));
            }

            @Override
            public void failed(Throwable e) {
                if (request == requests) {
                    planning.set(false);
                    status.set(e.getMessage() != null && e.getMessage().startsWith("not a qcow2 image") ? e.getMessage()
                            : "cannot plan the rescue: " + e.getMessage());
                }
            }

            @Override
            public void cancelled() {
                if (request == requests) {
                    planning.set(false);
                    status.set("rescue planning cancelled");
                }
            }
        });
    }

    private void clearPlan() {
        plan = null;
        fields.clear();
        fixes.clear();
        orphans.clear();
        pending.set("");
        ready.set(false);
        choice.set("");
    }

    private void show(RescuePlan r) {
        plan = r;
        fields.setAll(r.header().stream().map(HeaderFieldRow::new).toList());
        Map<Integer, Integer> groupOf = new HashMap<>();
        for (Fix f : r.plan().fixes()) {
            if (f.alternativeTo() >= 0) {
                groupOf.put(f.id(), f.alternativeTo());
                groupOf.put(f.alternativeTo(), f.alternativeTo());
            }
        }
        // A header field's other candidates are its radio buttons above; the table lists the one chosen.
        fixes.setAll(r.plan().fixes().stream().filter(f -> f.selected() || !RescueFixRow.header(f))
                .map(f -> new RescueFixRow(f, groupOf.getOrDefault(f.id(), -1))).toList());
        orphans.setAll(r.orphans().stream().map(o -> String.format("orphan %s at 0x%x: %s, would map %s", o.kind(),
                o.offset(), Plural.of(o.entries(), "entry", "entries"), o.maps())).toList());
        pending.set(r.pending() == null ? "" : r.pending());
        recount();
    }

    /** The user chose candidate {@code index} of a damaged field: the plan is computed again on the header it gives. */
    public void choose(HeaderFieldRow row, int index) {
        if (planning.get() || index == row.chosen()) {
            return;
        }
        choices.put(row.field(), row.choices().get(index).value());
        plan();
    }

    /** Ticks or clears a fix; ticking one way of mending a damage clears the other. Header fixes go by {@link #choose}. */
    public void setChosen(RescueFixRow row, boolean chosen) {
        if (row.header() || row.isChosen() == chosen) {
            return;
        }
        row.setChosen(chosen);
        if (chosen && row.group() >= 0) {
            for (RescueFixRow r : fixes) {
                if (r != row && r.group() == row.group()) {
                    r.setChosen(false);
                }
            }
        }
        recount();
    }

    private void recount() {
        long n = fixes.stream().filter(RescueFixRow::isChosen).count();
        RiskLevel risk = fixes.stream().filter(RescueFixRow::isChosen).map(RescueFixRow::risk)
                .max(Comparator.naturalOrder()).orElse(null);
        choice.set(n + " of " + Plural.of(fixes.size(), "fix", "fixes") + " chosen"
                + (risk == null ? "" : "; highest risk: " + risk.label()));
        ready.set(plan != null && plan.pending() == null && n > 0);
    }

    /** The plan with the user's choices, as the engine applies it; null before a plan. */
    public RepairPlan chosenPlan() {
        if (plan == null) {
            return null;
        }
        Set<Integer> ids = new HashSet<>();
        for (RescueFixRow r : fixes) {
            if (r.isChosen()) {
                ids.add(r.id());
            }
        }
        return plan.plan().select(ids);
    }

    /** What the rescue will do, for the confirmation: the chosen fixes with their risk. */
    public List<String> changes() {
        RepairPlan p = chosenPlan();
        List<String> out = new ArrayList<>();
        if (p == null) {
            return out;
        }
        for (Fix f : p.selected()) {
            out.add(f.kind().option() + " [" + f.risk().label() + "] " + f.path() + ": " + f.kind().summary());
        }
        return out;
    }

    /**
     * The confirmation's question, naming the file written: "Write the rescued copy disk-rescued.qcow2?" or "Rescue
     * disk.qcow2 in place, with the undo journal disk.qcow2.undo?".
     */
    public String confirmation() {
        Path img = image.get();
        if (inPlace.get()) {
            return "Rescue " + (img == null ? "" : img.getFileName()) + " in place, with the undo journal "
                    + (journal.get() == null ? "?" : journal.get().getFileName()) + "?";
        }
        return "Write the rescued copy " + (target.get() == null ? "?" : target.get().getFileName()) + "?";
    }

    /** The longer text under the question: what is written, and what stays as it is. */
    public String confirmationDetail() {
        Path img = image.get();
        if (img == null) {
            return "";
        }
        if (inPlace.get()) {
            return img + " itself is written. Every byte the rescue overwrites is saved first in " + journal.get()
                    + ": \"Undo the rescue\" here (or File > Undo from journal..., also after a restart) puts the file"
                    + " back bit for bit.";
        }
        return "A new file " + target.get() + " gets the damaged image's clusters with these fixes; "
                + img.getFileName() + " is only read.";
    }

    /**
     * Writes the chosen plan (in the background) to the copy {@link #targetProperty()} names, a target that exists being
     * refused rather than overwritten; or, with {@link #inPlaceProperty()}, to the damaged image itself, recording every
     * overwritten byte into the journal {@link #journalProperty()} names (a journal that exists is refused). The engine
     * takes QEMU's locks, and re-checks the file it wrote.
     */
    public void rescue() {
        RepairPlan p = chosenPlan();
        if (!ready.get() || writing.get() || p == null) {
            return;
        }
        Path damaged = image.get();
        boolean here = inPlace.get();
        Path c;
        RepairApplier.Mode mode;
        if (here) {
            if (journal.get() == null) {
                status.set("name the undo journal the in-place rescue records into");
                return;
            }
            Path j = journal.get().toAbsolutePath().normalize();
            if (Files.exists(j)) {
                status.set(j.getFileName() + " exists: choose a new file for the undo journal");
                return;
            }
            if (j.equals(damaged)) {
                status.set("the undo journal must be another file than the image");
                return;
            }
            c = damaged;
            mode = new RepairApplier.InPlace(j);
        } else {
            if (target.get() == null) {
                status.set("name the file the rescued copy is written to");
                return;
            }
            c = target.get().toAbsolutePath().normalize();
            if (c.equals(damaged)) {
                status.set("the rescue writes a copy: choose another file than the damaged image, or rescue in place");
                return;
            }
            if (Files.exists(c)) {
                status.set(c.getFileName() + " exists: choose a new file for the rescued copy");
                return;
            }
            mode = new RepairApplier.ToCopy(c);
        }
        Path j = mode instanceof RepairApplier.InPlace ip ? ip.journal() : null;
        writing.set(true);
        progress.set(-1);
        status.set(here ? "rescuing " + c.getFileName() + " in place, journal " + j.getFileName()
                : "writing the rescued copy " + c.getFileName());
        RescuePlan from = plan;
        task = executor.execute(here ? "rescue in place" : "write rescued copy", m -> RepairApplier.apply(p, mode, m),
                new TaskListener<RepairReport>() {
                    @Override
                    public void progress(double f) {
                        progress.set(f);
                    }

                    @Override
                    public void succeeded(RepairReport r) {
                        writing.set(false);
                        List<String> did = new ArrayList<>();
                        if (!from.header().isEmpty()) {
                            did.add("mended the header first (" + String.join(", ", from.header().stream()
                                    .map(h -> h.field()).toList()) + "); \"Before\" counts the image as it reads then");
                        }
                        did.add(RepairOperation.summary(r));
                        RepairResult res = new RepairResult(c, here, j, from.plan().check(), r.after(), did);
                        if (here) {
                            lastJournal.set(j);
                            // that journal is taken: a second rescue records into a new one
                            journal.set(io.qcowscope.app.ui.viewmodel.edit.ApplyRunner.defaultJournal(damaged));
                            // the plan was made from the bytes just rewritten: it is not applied twice
                            plan = null;
                            recount();
                        }
                        result.set(res);
                        String what = here ? c.getFileName() + " is rescued in place (undo journal " + j.getFileName()
                                + ")" : c.getFileName() + " is written";
                        status.set(res.clean() ? what + " and clean by qemu-img check's rules"
                                : what + "; the re-check finds " + RepairResult.counters(r.after()));
                    }

                    @Override
                    public void failed(Throwable e) {
                        writing.set(false);
                        if (here && Files.exists(j)) {
                            lastJournal.set(j); // the engine undid a failed apply; the journal is kept
                        }
                        status.set((here ? "cannot rescue in place: " : "cannot write the rescued copy: ")
                                + e.getMessage());
                    }

                    @Override
                    public void cancelled() {
                        writing.set(false);
                        if (here && Files.exists(j)) {
                            lastJournal.set(j);
                        }
                        status.set(here ? "rescue in place cancelled" + (Files.exists(j)
                                ? "; \"Undo the rescue\" puts the file back" : "")
                                : "writing the rescued copy cancelled");
                    }
                });
    }

    /**
     * "Undo the rescue": puts the image back bit for bit from the in-place rescue's journal, under QEMU's write lock
     * (as File > Undo from journal does), then plans its rescue again.
     */
    public void undo() {
        Path j = lastJournal.get();
        if (j == null || writing.get()) {
            return;
        }
        cancelTask();
        writing.set(true);
        progress.set(-1);
        status.set("undoing the rescue from " + j.getFileName());
        task = executor.execute("undo rescue", m -> {
            io.qcowscope.engine.repair.UndoJournal u = io.qcowscope.engine.repair.UndoJournal.read(j);
            try (io.qcowscope.engine.io.ImageLocks l = io.qcowscope.engine.io.ImageLocks.acquireForWriting(u.image())) {
                u.undo();
            }
            return u.image();
        }, new TaskListener<Path>() {
            @Override
            public void succeeded(Path img) {
                writing.set(false);
                String undone = "undone: " + img.getFileName() + " is back as it was before the rescue";
                lead = undone + "; ";
                start(img); // the damaged image again: planned afresh, a new journal name beside it
                inPlace.set(true);
                if (planning.get()) {
                    status.set(undone + "; planning its rescue again");
                }
            }

            @Override
            public void failed(Throwable e) {
                writing.set(false);
                status.set("cannot undo from " + j.getFileName() + ": " + e.getMessage());
            }
        });
    }

    /** Opens the rescued copy (or the image rescued in place) in the window. */
    public void openCopy() {
        RepairResult r = result.get();
        if (r != null) {
            opener.accept(r.target());
        }
    }

    /** Cancels the planning or writing under way. */
    public void cancel() {
        boolean was = planning.get() || writing.get();
        cancelTask();
        if (was) {
            planning.set(false);
            writing.set(false);
            status.set("cancelled");
        }
    }

    private void cancelTask() {
        requests++;
        if (task != null) {
            task.cancel();
            task = null;
        }
    }

    public ReadOnlyObjectProperty<Path> imageProperty() {
        return image.getReadOnlyProperty();
    }

    /** Where the rescued copy is written; the user may change it. */
    public ObjectProperty<Path> targetProperty() {
        return target;
    }

    /** Rescue the damaged file itself behind an undo journal (true), or write a new copy (false, the default). */
    public javafx.beans.property.BooleanProperty inPlaceProperty() {
        return inPlace;
    }

    /** The undo journal an in-place rescue records into: {@code NAME.undo} beside the image; the user may change it. */
    public ObjectProperty<Path> journalProperty() {
        return journal;
    }

    /** The journal of the last in-place rescue, while "Undo the rescue" can use it; null otherwise. */
    public ReadOnlyObjectProperty<Path> lastJournalProperty() {
        return lastJournal.getReadOnlyProperty();
    }

    /** A backing file to re-point a missing or looping backing link to (checked by the engine); setting it re-plans. */
    public ObjectProperty<Path> backingFileProperty() {
        return backingFile;
    }

    public ObservableList<HeaderFieldRow> fields() {
        return fieldsView;
    }

    public ObservableList<RescueFixRow> fixes() {
        return fixesView;
    }

    public ObservableList<String> orphans() {
        return orphansView;
    }

    public ReadOnlyBooleanProperty planningProperty() {
        return planning.getReadOnlyProperty();
    }

    /** A plan without a pending choice and with a fix chosen: the copy can be written. */
    public ReadOnlyBooleanProperty readyProperty() {
        return ready.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty writingProperty() {
        return writing.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the rest of the plan waits (a field needs the user's choice); empty otherwise. */
    public ReadOnlyStringProperty pendingProperty() {
        return pending.getReadOnlyProperty();
    }

    /** "3 of 4 fixes chosen; highest risk: rewrites-metadata". */
    public ReadOnlyStringProperty choiceProperty() {
        return choice.getReadOnlyProperty();
    }

    /** After the copy is written: the engine's re-check of it. */
    public ReadOnlyObjectProperty<RepairResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public void dismissResult() {
        result.set(null);
    }
}

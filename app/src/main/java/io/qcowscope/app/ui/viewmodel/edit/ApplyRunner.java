package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskHandle;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.io.ImageLocks;
import io.qcowscope.engine.repair.AppliedChanges;
import io.qcowscope.engine.repair.SparseCopy;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Runs the queue: off the UI thread, with progress and Cancel. It closes the window's image on the file and releases the
 * edit locks (each operation opens its own writer, taking them), in place creates one undo journal for the whole Apply,
 * runs every operation in queue order, then reopens the file so every view refreshes. Cancel stops between operations
 * or between the pieces of one; each writer is closed, flushed in the engine's crash-safe order, so the file is what
 * {@code qemu-img check} accepts. Undo puts the file back bit for bit from a journal, also one of an earlier run.
 */
public final class ApplyRunner {
    private final TaskExecutor executor;
    private final EditHost host;
    private final EditMode mode;
    private final OperationQueue queue;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyObjectWrapper<Path> lastJournal = new ReadOnlyObjectWrapper<>(this, "lastJournal");
    private final ReadOnlyObjectWrapper<Path> copyToOffer = new ReadOnlyObjectWrapper<>(this, "copyToOffer");
    private final ObservableList<String> lastSummaries = FXCollections.observableArrayList();
    /** One read-only view, kept: a wrapper made per call would drop its listeners when it is collected. */
    private final ObservableList<String> lastSummariesView = FXCollections.unmodifiableObservableList(lastSummaries);
    private final ReadOnlyObjectWrapper<Changed> changed = new ReadOnlyObjectWrapper<>(this, "changed",
            new Changed(new long[0], new long[0], AppliedChanges.NONE));
    private TaskHandle handle;

    /**
     * The guest and host clusters the last Apply's guest edits changed (each list bounded), for marking on the maps, and
     * the L2 entries whose bits it flipped and the refcounts it raised (any operation's, read from its undo journal).
     */
    public record Changed(long[] guestClusters, long[] hostClusters, AppliedChanges applied) {
    }

    /** Journals larger than this are not read back for the highlights (the Apply itself is not limited). */
    private static final long MAX_JOURNAL_READ = 64L << 20;

    /** What an Apply got through: the operations done, in order, with their summaries. Shared with the worker. */
    private static final class Progress {
        final List<PendingOperation> done = new ArrayList<>();
        final List<String> summaries = new ArrayList<>();
        volatile boolean journalCreated;
        volatile AppliedChanges applied = AppliedChanges.NONE;

        synchronized void add(PendingOperation op, String summary) {
            done.add(op);
            summaries.add(summary);
        }

        synchronized List<PendingOperation> done() {
            return List.copyOf(done);
        }

        synchronized List<String> summaries() {
            return List.copyOf(summaries);
        }
    }

    public ApplyRunner(TaskExecutor executor, EditHost host, EditMode mode, OperationQueue queue) {
        this.executor = executor;
        this.host = host;
        this.mode = mode;
        this.queue = queue;
    }

    /** The undo journal beside the image that no file uses yet: {@code NAME.undo}, else {@code NAME.undo-2}, ... */
    public static Path defaultJournal(Path image) {
        return free(image.resolveSibling(image.getFileName() + ".undo"));
    }

    /** A copy beside the image that no file uses yet: {@code NAME-edited.qcow2}, else {@code NAME-edited-2.qcow2}, ... */
    public static Path defaultCopy(Path image) {
        String n = image.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String stem = dot > 0 ? n.substring(0, dot) : n;
        String ext = dot > 0 ? n.substring(dot) : "";
        return free(image.resolveSibling(stem + "-edited" + ext));
    }

    private static Path free(Path p) {
        if (!Files.exists(p)) {
            return p;
        }
        String n = p.getFileName().toString();
        int dot = n.endsWith(".undo") ? n.length() : n.lastIndexOf('.');
        String stem = dot > 0 ? n.substring(0, dot) : n;
        String ext = dot > 0 ? n.substring(dot) : "";
        for (int i = 2; ; i++) {
            Path q = p.resolveSibling(n.endsWith(".undo") ? n + "-" + i : stem + "-" + i + ext);
            if (!Files.exists(q)) {
                return q;
            }
        }
    }

    /** Applies every queued operation to the target; the window must be editing. */
    public void apply(ApplyRequest request) {
        ImageSession s = host.session();
        if (s == null || running.get() || queue.isEmpty()) {
            return;
        }
        if (!mode.isEditing()) {
            host.error("Turn on Edit (Ctrl+E) before applying: the window is read-only");
            return;
        }
        if (mode.isRepairOnly() && queue.items().stream().anyMatch(op -> !op.isRepair())) {
            host.error(s.path().getFileName() + " is open for repair only: remove the queued operations that are not "
                    + "repairs, apply the repair, then edit");
            return;
        }
        Path image = s.path();
        Path target = request.target(image);
        if (Files.exists(target) && !request.inPlace()) {
            host.error("the copy " + target + " exists already; choose another name");
            return;
        }
        if (request.inPlace() && Files.exists(request.journal())) {
            host.error("the undo journal " + request.journal() + " exists already; choose another name");
            return;
        }
        List<PendingOperation> ops = List.copyOf(queue.items());
        host.cancelBackgroundWork();
        mode.release();
        running.set(true);
        progress.set(0);
        copyToOffer.set(null);
        host.error("");
        host.status("applying " + Plural.of(ops.size(), "operation") + " to " + target.getFileName());
        Progress done = new Progress();
        handle = executor.execute("apply", m -> {
            host.releaseImage(s);
            UndoJournal journal = null;
            if (request.inPlace()) {
                journal = UndoJournal.create(image, request.journal());
                done.journalCreated = true;
            } else {
                SparseCopy.copy(image, target);
            }
            try {
                for (int i = 0; i < ops.size(); i++) {
                    m.checkCancelled();
                    String summary = ops.get(i).apply(target, journal, part(m, i, ops.size()));
                    done.add(ops.get(i), summary);
                }
            } finally {
                if (journal != null) {
                    journal.close();
                }
            }
            if (journal != null) {
                done.applied = appliedChanges(target, request.journal());
            }
            return done;
        }, new TaskListener<Progress>() {
            @Override
            public void progress(double f) {
                progress.set(f);
            }

            @Override
            public void succeeded(Progress p) {
                finish(image, request, p, null);
            }

            @Override
            public void cancelled() {
                finish(image, request, done, "cancelled");
            }

            @Override
            public void failed(Throwable e) {
                finish(image, request, done, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        });
    }

    /** What the journal says the Apply changed in tables and refcounts; nothing when it cannot be read back. */
    private static AppliedChanges appliedChanges(Path target, Path journal) {
        try {
            if (Files.size(journal) > MAX_JOURNAL_READ) {
                return AppliedChanges.NONE;
            }
            try (Qcow2Image img = Qcow2Image.open(target, OpenOptions.readOnly().withCheckMode(true)
                    .withBackingChain(false))) {
                return AppliedChanges.of(UndoJournal.read(journal), img);
            }
        } catch (IOException | RuntimeException e) {
            return AppliedChanges.NONE; // the highlights only; the Apply itself succeeded
        }
    }

    /** Operation {@code i} of {@code n}'s share of the Apply's progress. */
    private static ProgressMonitor part(ProgressMonitor m, int i, int n) {
        return new ProgressMonitor() {
            @Override
            public void progress(long d, long total) {
                long f = total <= 0 ? 0 : Math.min(1000, d * 1000 / total);
                m.progress(i * 1000L + f, n * 1000L);
            }

            @Override
            public boolean isCancelled() {
                return m.isCancelled();
            }
        };
    }

    private void finish(Path image, ApplyRequest request, Progress p, String problem) {
        running.set(false);
        progress.set(0);
        handle = null;
        List<PendingOperation> done = p.done();
        Path target = request.target(image);
        if (request.inPlace() && p.journalCreated) {
            lastJournal.set(request.journal());
        }
        if (!done.isEmpty()) {
            queue.applied(new OperationQueue.ApplyOutcome(target, request.inPlace(),
                    request.inPlace() ? request.journal() : null, done, p.summaries()));
        }
        List<String> lines = new ArrayList<>();
        List<String> summaries = p.summaries();
        java.util.stream.LongStream.Builder guest = java.util.stream.LongStream.builder();
        java.util.stream.LongStream.Builder hostClusters = java.util.stream.LongStream.builder();
        for (int i = 0; i < done.size(); i++) {
            lines.add(done.get(i).title() + ": " + summaries.get(i));
            if (request.inPlace() && done.get(i) instanceof GuestEditOperation g && g.lastChanges() != null) {
                g.lastChanges().guestClusters().forEach(guest::add);
                g.lastChanges().hostClusters().forEach(hostClusters::add);
            }
        }
        lastSummaries.setAll(lines);
        host.reopen(image);
        changed.set(new Changed(guest.build().distinct().toArray(), hostClusters.build().distinct().toArray(),
                request.inPlace() ? p.applied : AppliedChanges.NONE));

        mode.enter(true);
        String what = Plural.of(done.size(), "operation") + " applied to " + target.getFileName();
        if (problem == null) {
            host.status(what + (request.inPlace() ? "; undo journal " + request.journal().getFileName() : ""));
            if (!request.inPlace()) {
                copyToOffer.set(target);
            }
        } else {
            host.error("Apply stopped (" + problem + "): " + what + ", " + Plural.of(queue.items().size(), "operation")
                    + " still queued" + (request.inPlace() && p.journalCreated ? "; Undo puts the file back" : ""));
        }
    }

    /** Stops the Apply in progress between pieces of work; what was written stays, consistent. */
    public void cancel() {
        if (handle != null) {
            handle.cancel();
        }
    }

    /** Puts the file back as it was before the last in-place Apply. */
    public void undoLast() {
        if (lastJournal.get() != null) {
            undoFrom(lastJournal.get());
        }
    }

    /**
     * Restores the image a journal names, bit for bit, under QEMU's write lock; then opens it. Works for a journal of an
     * earlier run (File > Undo from journal).
     */
    public void undoFrom(Path journalFile) {
        if (running.get()) {
            return;
        }
        ImageSession s = host.session();
        boolean wasEditing = mode.isEditing();
        host.cancelBackgroundWork();
        mode.release();
        running.set(true);
        progress.set(-1);
        host.error("");
        host.status("undoing from " + journalFile.getFileName());
        handle = executor.execute("undo", m -> {
            UndoJournal j = UndoJournal.read(journalFile);
            if (s != null && s.path().toAbsolutePath().normalize().equals(j.image().toAbsolutePath().normalize())) {
                host.releaseImage(s);
            }
            try (ImageLocks l = ImageLocks.acquireForWriting(j.image())) {
                j.undo();
            }
            return j.image();
        }, new TaskListener<Path>() {
            @Override
            public void succeeded(Path image) {
                running.set(false);
                progress.set(0);
                if (journalFile.equals(lastJournal.get())) {
                    lastJournal.set(null);
                }
                lastSummaries.clear();
                host.reopen(image);
                changed.set(new Changed(new long[0], new long[0], AppliedChanges.NONE));
                if (wasEditing) {
                    mode.enter(true);
                }
                host.status("undone: " + image.getFileName() + " is back as it was before the apply journalled in "
                        + journalFile.getFileName());
            }

            @Override
            public void failed(Throwable e) {
                running.set(false);
                progress.set(0);
                if (s != null) {
                    host.reopen(s.path());
                }
                host.error("Undo from " + journalFile.getFileName() + " failed: " + e.getMessage());
            }
        });
    }

    /** What the last in-place Apply changed (empty after an Undo or a copy), for the maps. */
    public ReadOnlyObjectProperty<Changed> changedProperty() {
        return changed.getReadOnlyProperty();
    }

    /** True while an Apply or an Undo runs. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The journal of the last in-place Apply of this run, null when there is nothing to undo. */
    public ReadOnlyObjectProperty<Path> lastJournalProperty() {
        return lastJournal.getReadOnlyProperty();
    }

    /** A copy just written, which the window offers to open; null otherwise. */
    public ReadOnlyObjectProperty<Path> copyToOfferProperty() {
        return copyToOffer.getReadOnlyProperty();
    }

    /** One line per operation of the last Apply. */
    public ObservableList<String> lastSummaries() {
        return lastSummariesView;
    }
}

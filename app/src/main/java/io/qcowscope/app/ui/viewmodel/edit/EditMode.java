package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.ImageChecker;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.io.ImageLockedException;
import io.qcowscope.engine.io.ImageLocks;
import io.qcowscope.engine.write.ImageNotWritableException;
import io.qcowscope.engine.write.WritableImage;
import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Read-only or editing. The window opens every image read-only; Edit takes QEMU's read-write locks on the file through the
 * engine ({@link WritableImage#reserve}) and holds them until the image is closed or Edit is turned off, so no VM starts on
 * an image with pending changes. A refusal (another process holds a lock, or the image must not be written) is said in
 * words and the window stays read-only. An image that needs a repair before it may be written (its dirty or corrupt bit
 * set, or corruptions {@code check} finds) is reserved for repair only ({@link WritableImage#reserveForRepair}): the
 * same locks, the mode says "repair-only", and only repairs may be queued and applied.
 */
public final class EditMode {
    private final TaskExecutor executor;
    private final EditHost host;
    private final ReadOnlyBooleanWrapper editing = new ReadOnlyBooleanWrapper(this, "editing", false);
    private final ReadOnlyStringWrapper label = new ReadOnlyStringWrapper(this, "label", "read-only");
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail",
            "The image is open read-only: the window never writes to it");
    private final ReadOnlyStringWrapper refusal = new ReadOnlyStringWrapper(this, "refusal", "");
    private final ReadOnlyBooleanWrapper repairOnly = new ReadOnlyBooleanWrapper(this, "repairOnly", false);
    private final BooleanBinding writesAllowed = editing.and(repairOnly.not());
    private ImageLocks locks;
    private Path lockedPath;
    private boolean requested;

    public EditMode(TaskExecutor executor, EditHost host) {
        this.executor = executor;
        this.host = host;
    }

    /** The Edit toggle: on takes the locks (in the background), off releases them. */
    public void setEditing(boolean on) {
        if (on) {
            enter();
        } else {
            leave();
        }
    }

    /** The locks taken, and why the image may only be repaired (null when it may be edited). */
    private record Reserved(ImageLocks locks, String repairOnlyReason) {
    }

    /**
     * Takes QEMU's read-write locks on the open image; on refusal stays read-only and says why. An image that needs a
     * repair first (dirty or corrupt bit set, or corruptions {@code check} finds) is reserved for repair only.
     */
    public void enter() {
        enter(false);
    }

    /**
     * As {@link #enter()}; {@code fileChanged} after an Apply or an Undo, when the window's check (if the scan made one)
     * is of the file as it was: the reservation then checks the file anew.
     */
    void enter(boolean fileChanged) {
        ImageSession s = host.session();
        if (s == null || editing.get() || requested) {
            return;
        }
        Path p = s.path();
        OpenOptions o = s.image().options();
        CheckResult known = fileChanged || s.layout() == null ? null : s.layout().check();
        requested = true;
        refusal.set("");
        executor.executeInteractive("edit", m -> reserve(p, o, known, m), new TaskListener<Reserved>() {
            @Override
            public void succeeded(Reserved r) {
                requested = false;
                ImageSession now = host.session();
                if (now == null || !now.path().equals(p)) {
                    closeQuietly(r.locks());
                    return;
                }
                locks = r.locks();
                lockedPath = p;
                host.error("");
                if (r.repairOnlyReason() == null) {
                    repairOnly.set(false);
                    label.set("editing");
                    detail.set("Editing: the window holds QEMU's write lock on " + p.getFileName() + "; changes are "
                            + "queued and written only by Apply");
                    host.status("editing " + p.getFileName() + ": changes are queued until Apply");
                } else {
                    repairOnly.set(true);
                    label.set("repair-only");
                    String why = repairOnlyText(p, r.repairOnlyReason());
                    refusal.set(why);
                    detail.set(why + " The window holds QEMU's write lock on " + p.getFileName() + ".");
                    host.status(why);
                }
                editing.set(true);
            }

            @Override
            public void failed(Throwable e) {
                requested = false;
                editing.set(false);
                String why = refusalText(p, e);
                refusal.set(why);
                host.error(why);
            }
        });
    }

    /** The locks, for editing or (the image needing a repair first) for repair only. Worker thread. */
    private static Reserved reserve(Path p, OpenOptions o, CheckResult known, ProgressMonitor m) throws IOException {
        ImageLocks l;
        try {
            l = WritableImage.reserve(p, o);
        } catch (ImageNotWritableException e) {
            if (!e.repairable()) {
                throw e;
            }
            return new Reserved(WritableImage.reserveForRepair(p, o), e.getMessage());
        }
        try {
            CheckResult check = known != null ? known : checkOf(p, o, m);
            if (check != null && check.corruptions() > 0) {
                return new Reserved(l, "qemu-img check's rules find " + Plural.of(check.corruptions(), "corruption")
                        + " in it");
            }
            return new Reserved(l, null);
        } catch (IOException | RuntimeException e) {
            closeQuietly(l);
            throw e;
        }
    }

    /** The check of the image, when the window's scan has not made one yet; null when it cannot be made. */
    private static CheckResult checkOf(Path p, OpenOptions o, ProgressMonitor m) throws IOException {
        try (Qcow2Image img = Qcow2Image.open(p, o.withWritable(false).withCheckMode(true).withBackingChain(false))) {
            return ImageChecker.check(img, m);
        } catch (Qcow2Exception e) {
            return null; // the reservation's own open read it; what the check cannot read the repair planner says
        }
    }

    /** Why only a repair can be applied, in words. */
    static String repairOnlyText(Path p, String reason) {
        return "Repair only: " + p.getFileName() + " cannot be edited (" + reason + "); the repair in Findings & "
                + "Repair can still be queued and applied, guest edits and snapshots cannot.";
    }

    /** Releases the locks; the window is read-only again. */
    public void leave() {
        release();
        if (host.session() != null) {
            host.status("read-only: the window never writes to " + host.session().path().getFileName());
        }
    }

    /** Releases the locks without a message (before an Apply's writer takes them, or when the image closes). */
    void release() {
        if (locks != null) {
            closeQuietly(locks);
            locks = null;
        }
        lockedPath = null;
        editing.set(false);
        repairOnly.set(false);
        label.set("read-only");
        detail.set("The image is open read-only: the window never writes to it");
    }

    /** The image now open is {@code p}: editing ends when it is another file. */
    public void sessionChanged(Path p) {
        if (lockedPath != null && !lockedPath.equals(p)) {
            release();
        }
    }

    /** Why the image cannot be edited, in words: the lock and who holds it, or the engine's reason. */
    static String refusalText(Path p, Throwable e) {
        String name = p.getFileName().toString();
        if (e instanceof ImageLockedException l) {
            return "Cannot edit " + name + ": another process holds QEMU's lock on it (byte " + l.lockByte() + ", "
                    + lockName(l.lockByte()) + "); is a VM or qemu-io using it? The window stays read-only.";
        }
        if (e instanceof ImageNotWritableException) {
            return "Cannot edit " + name + ": " + e.getMessage() + ". The window stays read-only.";
        }
        return "Cannot edit " + name + ": " + e.getMessage() + ". The window stays read-only.";
    }

    /** QEMU's permission lock bytes (spec 7): 100 + permission held, 200 + permission forbidden. */
    static String lockName(int lockByte) {
        String[] perms = {"consistent read", "write", "write unchanged", "resize"};
        int i = lockByte % 100;
        String perm = i < perms.length ? perms[i] : "unknown";
        return lockByte >= 200 ? "it forbids " + perm + " to others" : "it holds the " + perm + " permission";
    }

    private static void closeQuietly(ImageLocks l) {
        try {
            l.close();
        } catch (IOException ignored) {
            // closing the descriptor drops the locks in any case
        }
    }

    public ReadOnlyBooleanProperty editingProperty() {
        return editing.getReadOnlyProperty();
    }

    public boolean isEditing() {
        return editing.get();
    }

    /**
     * True while the locks are held for repair only: the image needs a repair first (dirty or corrupt bit, corruptions
     * by {@code check}); repairs can be queued and applied, guest edits and snapshot operations cannot.
     */
    public ReadOnlyBooleanProperty repairOnlyProperty() {
        return repairOnly.getReadOnlyProperty();
    }

    public boolean isRepairOnly() {
        return repairOnly.get();
    }

    /** Editing, and not for repair only: guest edits and snapshot operations may be queued. */
    public BooleanBinding writesAllowedProperty() {
        return writesAllowed;
    }

    /** "read-only", "editing" or "repair-only", for the status bar and the title. */
    public ReadOnlyStringProperty labelProperty() {
        return label.getReadOnlyProperty();
    }

    /** A sentence on the mode, for the tooltip. */
    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    /** Why the last Edit was refused, empty when it was not. */
    public ReadOnlyStringProperty refusalProperty() {
        return refusal.getReadOnlyProperty();
    }
}

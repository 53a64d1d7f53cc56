package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.io.ImageLockedException;
import io.qcowscope.engine.io.ImageLocks;
import io.qcowscope.engine.write.ImageNotWritableException;
import io.qcowscope.engine.write.WritableImage;
import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Read-only or editing. The window opens every image read-only; Edit takes QEMU's read-write locks on the file through the
 * engine ({@link WritableImage#reserve}) and holds them until the image is closed or Edit is turned off, so no VM starts on
 * an image with pending changes. A refusal (another process holds a lock, or the image must not be written) is said in
 * words and the window stays read-only.
 */
public final class EditMode {
    private final TaskExecutor executor;
    private final EditHost host;
    private final ReadOnlyBooleanWrapper editing = new ReadOnlyBooleanWrapper(this, "editing", false);
    private final ReadOnlyStringWrapper label = new ReadOnlyStringWrapper(this, "label", "read-only");
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail",
            "The image is open read-only: the window never writes to it");
    private final ReadOnlyStringWrapper refusal = new ReadOnlyStringWrapper(this, "refusal", "");
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

    /** Takes QEMU's read-write locks on the open image; on refusal stays read-only and says why. */
    public void enter() {
        ImageSession s = host.session();
        if (s == null || editing.get() || requested) {
            return;
        }
        Path p = s.path();
        OpenOptions o = s.image().options();
        requested = true;
        refusal.set("");
        executor.executeInteractive("edit", m -> WritableImage.reserve(p, o), new TaskListener<ImageLocks>() {
            @Override
            public void succeeded(ImageLocks l) {
                requested = false;
                ImageSession now = host.session();
                if (now == null || !now.path().equals(p)) {
                    closeQuietly(l);
                    return;
                }
                locks = l;
                lockedPath = p;
                editing.set(true);
                label.set("editing");
                detail.set("Editing: the window holds QEMU's write lock on " + p.getFileName() + "; changes are queued "
                        + "and written only by Apply");
                host.error("");
                host.status("editing " + p.getFileName() + ": changes are queued until Apply");
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

    /** "read-only" or "editing", for the status bar and the title. */
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

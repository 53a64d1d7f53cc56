package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.units.SizeParser;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.repair.RiskLevel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The window's editing: the mode, the guest range the edits act on (typed as the CLI takes sizes, or dragged on the guest
 * map), commands that queue guest edits and snapshot operations, the Apply runner, and the question asked before an image
 * with pending operations is closed. Holds no Nodes.
 */
public final class EditViewModel {
    private final EditHost host;
    private final OperationQueue queue;
    private final EditMode mode;
    private final ApplyRunner runner;
    private final StringProperty rangeOffset = new SimpleStringProperty(this, "rangeOffset", "0");
    private final StringProperty rangeLength = new SimpleStringProperty(this, "rangeLength", "64k");
    private final ReadOnlyStringWrapper rangeProblem = new ReadOnlyStringWrapper(this, "rangeProblem", "");
    /** Asked before pending operations would be dropped; true to drop them. */
    private Predicate<Integer> discardPrompt = n -> false;

    public EditViewModel(TaskExecutor executor, OperationQueue queue, EditHost host) {
        this.host = host;
        this.queue = queue;
        this.mode = new EditMode(executor, host);
        this.runner = new ApplyRunner(executor, host, mode, queue);
        rangeOffset.addListener((o, a, b) -> rangeProblem.set(""));
        rangeLength.addListener((o, a, b) -> rangeProblem.set(""));
    }

    public EditMode mode() {
        return mode;
    }

    public ApplyRunner runner() {
        return runner;
    }

    public OperationQueue queue() {
        return queue;
    }

    // ---- the guest range ----

    /** The range's first byte, as typed: 65536, 0x10000, 64k. */
    public StringProperty rangeOffsetProperty() {
        return rangeOffset;
    }

    /** The range's length, as typed: 4096, 4k, 1M, 0x1000. */
    public StringProperty rangeLengthProperty() {
        return rangeLength;
    }

    /** Why the typed range cannot be used, empty when it can. */
    public ReadOnlyStringProperty rangeProblemProperty() {
        return rangeProblem.getReadOnlyProperty();
    }

    /** The guest clusters {@code first..last} (in either order), dragged on the guest map, become the range. */
    public void selectClusters(long first, long last) {
        ImageSession s = host.session();
        if (s == null || first < 0 || last < 0) {
            return;
        }
        int bits = s.image().geometry().clusterBits();
        long lo = Math.min(first, last);
        long hi = Math.max(first, last);
        long end = Math.min(s.image().virtualSize(), (hi + 1) << bits);
        rangeOffset.set(Sizes.hex(lo << bits));
        rangeLength.set(lengthText(end - (lo << bits)));
    }

    /** Whether the typed range touches guest cluster {@code cluster} (false when the range does not parse). */
    public boolean rangeCoversCluster(long cluster) {
        ImageSession s = host.session();
        try {
            long off = SizeParser.parse(rangeOffset.get());
            long len = SizeParser.parse(rangeLength.get());
            int bits = s.image().geometry().clusterBits();
            return len > 0 && off >>> bits <= cluster && cluster <= (off + len - 1) >>> bits;
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
    }

    /** A length as the user would type it: 64k, 3M, else bytes. */
    static String lengthText(long n) {
        if (n > 0 && n % (1L << 30) == 0) {
            return (n >>> 30) + "G";
        }
        if (n > 0 && n % (1L << 20) == 0) {
            return (n >>> 20) + "M";
        }
        if (n > 0 && n % 1024 == 0) {
            return (n >>> 10) + "k";
        }
        return Long.toString(n);
    }

    /** The range as {offset, length}, or null with {@link #rangeProblemProperty()} saying why. */
    long[] range() {
        ImageSession s = host.session();
        if (s == null) {
            return fail("no image is open");
        }
        long off;
        long len;
        try {
            off = SizeParser.parse(rangeOffset.get());
        } catch (NumberFormatException | NullPointerException e) {
            return fail("offset '" + rangeOffset.get() + "' is not a size (e.g. 0x10000, 64k, 1M)");
        }
        try {
            len = SizeParser.parse(rangeLength.get());
        } catch (NumberFormatException | NullPointerException e) {
            return fail("length '" + rangeLength.get() + "' is not a size (e.g. 4k, 1M, 0x1000)");
        }
        long size = s.image().virtualSize();
        if (len <= 0) {
            return fail("the length must be more than 0");
        }
        if (off > size - len) {
            return fail("the range " + Sizes.hex(off) + " + " + Sizes.bytes(len) + " goes past the end of the disk ("
                    + Sizes.bytes(size) + ")");
        }
        return new long[]{off, len};
    }

    private long[] fail(String why) {
        rangeProblem.set(why);
        return null;
    }

    private boolean editingOrSay() {
        if (!mode.isEditing()) {
            host.error("Turn on Edit (Ctrl+E) to queue changes: the window is read-only");
            return false;
        }
        if (mode.isRepairOnly()) {
            host.error("Only a repair can be queued: " + host.session().path().getFileName() + " is open for repair "
                    + "only; repair it (Findings & Repair), then edit");
            return false;
        }
        return true;
    }

    private OpenOptions options() {
        return host.session().image().options();
    }

    // ---- queueing guest edits ----

    /** Queues filling the range with {@code value} (0x5a, 90); false when the value or the range is not valid. */
    public boolean queuePattern(String value) {
        if (!editingOrSay()) {
            return false;
        }
        int b;
        try {
            b = Integer.decode(value.strip());
        } catch (NumberFormatException | NullPointerException e) {
            rangeProblem.set("pattern '" + value + "' is not a byte (e.g. 0xa5 or 165)");
            return false;
        }
        if (b < 0 || b > 255) {
            rangeProblem.set("pattern " + value + " is not a byte value (0 to 255)");
            return false;
        }
        long[] r = range();
        return r != null && add(GuestEditOperation.pattern(r[0], r[1], b, options()));
    }

    /** Queues writing {@code file}'s bytes at the range's offset (its length is the file's). */
    public boolean queueFile(Path file) {
        if (!editingOrSay()) {
            return false;
        }
        ImageSession s = host.session();
        long off;
        try {
            off = SizeParser.parse(rangeOffset.get());
        } catch (NumberFormatException e) {
            return fail("offset '" + rangeOffset.get() + "' is not a size (e.g. 0x10000, 64k, 1M)") != null;
        }
        try {
            GuestEditOperation op = GuestEditOperation.fromFile(off, file, options());
            if (op.length() == 0 || off > s.image().virtualSize() - op.length()) {
                rangeProblem.set(file.getFileName() + " (" + Sizes.bytes(op.length()) + ") does not fit at "
                        + Sizes.hex(off) + " on a disk of " + Sizes.bytes(s.image().virtualSize()));
                return false;
            }
            return add(op);
        } catch (IOException e) {
            rangeProblem.set("cannot read " + file + ": " + e.getMessage());
            return false;
        }
    }

    public boolean queueZero(boolean unmap) {
        long[] r = editingOrSay() ? range() : null;
        return r != null && add(GuestEditOperation.zero(r[0], r[1], unmap, options()));
    }

    public boolean queueDiscard() {
        long[] r = editingOrSay() ? range() : null;
        return r != null && add(GuestEditOperation.discard(r[0], r[1], options()));
    }

    // ---- queueing snapshot operations ----

    /** Queues {@code qemu-img snapshot -c NAME}; refused when the name is taken or already queued for creation. */
    public boolean queueSnapshotCreate(String name) {
        if (!editingOrSay()) {
            return false;
        }
        if (name == null || name.isBlank()) {
            host.error("a snapshot needs a name");
            return false;
        }
        boolean taken = host.session().image().snapshots().stream().anyMatch(s -> s.name().equals(name.strip()))
                || queue.items().stream().anyMatch(o -> o instanceof SnapshotOperation so
                        && so.kind() == SnapshotEdit.CREATE && so.name().equals(name.strip()));
        if (taken) {
            host.error("a snapshot named '" + name.strip() + "' exists already");
            return false;
        }
        return add(new SnapshotOperation(SnapshotEdit.CREATE, name, options()));
    }

    public boolean queueSnapshotDelete(SnapshotEntry s) {
        return editingOrSay() && add(new SnapshotOperation(SnapshotEdit.DELETE, s.name(), options()));
    }

    /** Queues {@code qemu-img snapshot -a}; the view confirms first (it throws away the disk's current content). */
    public boolean queueSnapshotRevert(SnapshotEntry s) {
        return editingOrSay() && add(new SnapshotOperation(SnapshotEdit.REVERT, s.name(), options()));
    }

    private boolean add(PendingOperation op) {
        queue.add(op);
        host.error("");
        host.status("queued: " + op.title() + " (" + Plural.of(queue.items().size(), "pending operation") + ")");
        return true;
    }

    // ---- Apply confirmation ----

    /** The lines of the Apply confirmation: every operation with its risk and what it changes. */
    public List<String> confirmationLines() {
        List<String> l = new ArrayList<>();
        int i = 1;
        for (PendingOperation op : queue.items()) {
            l.add(i++ + ". " + op.title() + " [" + op.risk().label() + "]");
            for (String c : op.changes()) {
                l.add("     " + c);
            }
        }
        return l;
    }

    /** The highest risk in the queue, null when it is empty. */
    public RiskLevel highestRisk() {
        RiskLevel r = null;
        for (PendingOperation op : queue.items()) {
            if (r == null || op.risk().compareTo(r) > 0) {
                r = op.risk();
            }
        }
        return r;
    }

    // ---- closing ----

    /** How the window asks whether to drop {@code n} pending operations (a dialog); true drops them. */
    public void setDiscardPrompt(Predicate<Integer> prompt) {
        discardPrompt = prompt;
    }

    /**
     * Before the image or the window closes: with pending operations asks whether to drop them; true when closing may go
     * on (the queue is then empty and the edit locks released).
     */
    public boolean mayClose() {
        if (runner.runningProperty().get()) {
            host.error("an Apply is running: cancel it first");
            return false;
        }
        if (!queue.isEmpty() && !discardPrompt.test(queue.items().size())) {
            return false;
        }
        queue.items().clear();
        mode.release();
        return true;
    }
}

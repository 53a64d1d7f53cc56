package io.qcowscope.app.ui.viewmodel.teach;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.app.ui.viewmodel.HexViewModel;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.app.ui.viewmodel.SelectionModel;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.TablesViewModel;
import io.qcowscope.app.ui.viewmodel.TablesViewModel.Decoded;
import io.qcowscope.app.ui.viewmodel.teach.ReadStep.Highlight;
import io.qcowscope.engine.layout.GuestExtent;
import io.qcowscope.engine.layout.ReadWalk;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The step-through of a guest read: the engine walks the offset ({@link ReadWalk}, off the UI thread), and Back / Next / Play
 * move through its steps; each step highlights its structure in the open image's views (tables, hex, host map).
 */
public final class ReadStepperViewModel {
    private final SelectionModel selection;
    private final TablesViewModel tables;
    private final HexViewModel hex;
    private final ObservableList<ReadStep> steps = FXCollections.observableArrayList();
    /** One read-only view, kept: a view made per call drops its (weak) listeners when collected. */
    private final ObservableList<ReadStep> stepsRo = FXCollections.unmodifiableObservableList(steps);
    private final ReadOnlyIntegerWrapper index = new ReadOnlyIntegerWrapper(this, "index", -1);
    private final ReadOnlyObjectWrapper<ReadStep> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final ReadOnlyObjectWrapper<Decoded> bits = new ReadOnlyObjectWrapper<>(this, "bits");
    private final ReadOnlyObjectWrapper<GuestExtent> answer = new ReadOnlyObjectWrapper<>(this, "answer");
    private final ReadOnlyObjectWrapper<ReadStep.View> view = new ReadOnlyObjectWrapper<>(this, "view", ReadStep.View.NONE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing", false);
    private final BooleanBinding canBack = index.greaterThan(0);
    private final BooleanBinding canNext = index.lessThan(Bindings.size(steps).subtract(1));
    private TaskExecutor executor = new SyncTaskExecutor();
    private ImageSession session;
    private long requests;

    public ReadStepperViewModel(SelectionModel selection, TablesViewModel tables, HexViewModel hex) {
        this.selection = selection;
        this.tables = tables;
        this.hex = hex;
        canNext.addListener((o, a, b) -> {
            if (!b) {
                playing.set(false);
            }
        });
    }

    public void setExecutor(TaskExecutor executor) {
        this.executor = executor;
    }

    public void setSession(ImageSession s) {
        session = s;
        requests++;
        playing.set(false);
        steps.clear();
        index.set(-1);
        current.set(null);
        bits.set(null);
        answer.set(null);
        message.set(s == null ? "" : "Type a guest offset (0x5000, 20480, 1M) or right-click the guest map: "
                + "Explain this offset.");
    }

    /** Walks the offset the text names (decimal, 0x hex, or with a K/M/G suffix); false when it names none of the disk. */
    public boolean explain(String text) {
        long offset = parse(text);
        if (session == null || offset < 0 || offset >= session.image().virtualSize()) {
            message.set("Not a guest offset of this disk (0 to " + (session == null ? "?"
                    : Sizes.hex(session.image().virtualSize() - 1)) + "): " + text);
            return false;
        }
        explain(offset);
        return true;
    }

    /** Where guest cluster {@code cluster} starts, or -1 without an image. */
    public long offsetOfCluster(long cluster) {
        return session == null ? -1 : cluster << session.image().geometry().clusterBits();
    }

    /** Walks guest offset {@code offset} through the chain, in the background; a newer request wins. */
    public void explain(long offset) {
        if (session == null) {
            return;
        }
        ImageSession s = session;
        long request = ++requests;
        playing.set(false);
        message.set("walking guest offset " + Sizes.hex(offset) + "...");
        executor.executeInteractive("walk a guest read", m -> ReadWalk.of(s.image(), offset),
                new TaskListener<ReadWalk>() {
                    @Override
                    public void succeeded(ReadWalk w) {
                        if (request == requests && session == s) {
                            show(w);
                        }
                    }

                    @Override
                    public void failed(Throwable e) {
                        if (request == requests && session == s) {
                            message.set("cannot walk " + Sizes.hex(offset) + ": " + e.getMessage());
                        }
                    }
                });
    }

    private void show(ReadWalk w) {
        List<ReadStep> list = ReadSteps.of(w);
        answer.set(w.answer());
        steps.setAll(list);
        message.set("guest offset " + Sizes.hex(w.guest().value()) + ": " + list.size() + " steps");
        index.set(-1);
        go(0);
    }

    /** Shows step {@code i} and highlights its structure. */
    public void go(int i) {
        if (i < 0 || i >= steps.size()) {
            return;
        }
        index.set(i);
        ReadStep s = steps.get(i);
        current.set(s);
        if (s.bits() != null) {
            bits.set(s.bits());
        }
        highlight(s.highlight());
        view.set(s.highlight().view());
    }

    public void back() {
        go(index.get() - 1);
    }

    public void next() {
        go(index.get() + 1);
    }

    /** Play: the view advances with {@link #next()} while this is true; it stops by itself at the last step. */
    public BooleanProperty playingProperty() {
        return playing;
    }

    public void togglePlay() {
        if (!playing.get() && !canNext.get()) {
            go(0);
        }
        playing.set(!playing.get() && !steps.isEmpty());
    }

    private void highlight(Highlight h) {
        if (session == null || h.view() == ReadStep.View.NONE) {
            return;
        }
        if (h.guestCluster() >= 0 && selection.guestClusterProperty().get() != h.guestCluster()) {
            selection.selectGuest(h.guestCluster());
        }
        if (h.view() == ReadStep.View.TABLES && tables.l1SourceProperty().get() == 0) {
            if (h.l1Index() >= 0 && tables.selectedL1Property().get() != h.l1Index()) {
                tables.selectL1(h.l1Index());
            }
            if (h.l2Index() >= 0) {
                tables.selectL2(h.l2Index());
            } else if (h.l1Index() >= 0) {
                tables.selectL1(h.l1Index());
            }
        }
        if (h.view() == ReadStep.View.HOST_MAP && h.hostCluster() >= 0
                && selection.hostClusterProperty().get() != h.hostCluster()) {
            selection.selectHost(h.hostCluster());
        }
        if (h.hexCluster() >= 0) {
            hex.show(h.hexCluster(), h.hexStart(), h.hexLength());
        }
    }

    /** A guest offset as typed: decimal, {@code 0x} hex, or a number with a K, M, G or T suffix (binary units). */
    static long parse(String text) {
        if (text == null) {
            return -1;
        }
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            if (t.startsWith("0x")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            int shift = 0;
            if (!t.isEmpty()) {
                char c = t.charAt(t.length() - 1);
                shift = switch (c) {
                    case 'k' -> 10;
                    case 'm' -> 20;
                    case 'g' -> 30;
                    case 't' -> 40;
                    default -> 0;
                };
                if (shift > 0) {
                    t = t.substring(0, t.length() - 1);
                }
            }
            long v = Long.parseLong(t);
            return v < 0 || v > (Long.MAX_VALUE >> shift) ? -1 : v << shift;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public ObservableList<ReadStep> steps() {
        return stepsRo;
    }

    public ReadOnlyIntegerProperty indexProperty() {
        return index.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ReadStep> currentProperty() {
        return current.getReadOnlyProperty();
    }

    /** The bits the decoder draws: the latest step that has any (the offset, an entry, a bitmap). */
    public ReadOnlyObjectProperty<Decoded> bitsProperty() {
        return bits.getReadOnlyProperty();
    }

    /** The walk's answer as qemu-img map reports it; null before a walk or when the read fails. */
    public ReadOnlyObjectProperty<GuestExtent> answerProperty() {
        return answer.getReadOnlyProperty();
    }

    /** The view the current step highlights in (the window shows that tab). */
    public ReadOnlyObjectProperty<ReadStep.View> viewProperty() {
        return view.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public BooleanBinding canBackProperty() {
        return canBack;
    }

    public BooleanBinding canNextProperty() {
        return canNext;
    }
}

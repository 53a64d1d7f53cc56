package io.qcowscope.app.ui.viewmodel.lab;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.write.WriteComparison;
import io.qcowscope.engine.write.WriteDryRun;
import io.qcowscope.engine.write.WritePlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * "What would a write do?": the offset and length typed, the engine's dry run on a scratch overlay of the open image
 * (the file is not touched), its steps for the stepper, and the same write on a temporary image with the same guest
 * content in another geometry, side by side.
 */
public final class WriteDryRunViewModel {
    private final TaskExecutor executor;
    private final ObjectProperty<ImageSession> session = new SimpleObjectProperty<>(this, "session");
    private final StringProperty offset = new SimpleStringProperty(this, "offset", "0x11200");
    private final StringProperty length = new SimpleStringProperty(this, "length", "4k");
    private final ObservableList<CompareTarget> targets = FXCollections.observableArrayList();
    private final ObjectProperty<CompareTarget> compareWith = new SimpleObjectProperty<>(this, "compareWith");
    private final ObservableList<PlanStep> steps = FXCollections.observableArrayList();
    private final ObservableList<PlanStep> otherSteps = FXCollections.observableArrayList();
    private final ObservableList<ComparisonFigure> figures = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper thisLabel = new ReadOnlyStringWrapper(this, "thisLabel", "this image");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private Path scratch = Path.of(System.getProperty("java.io.tmpdir"));

    public WriteDryRunViewModel(TaskExecutor executor) {
        this.executor = executor;
        session.addListener((o, a, s) -> sessionChanged(s));
    }

    public void setScratchDirectory(Path dir) {
        this.scratch = dir;
    }

    private void sessionChanged(ImageSession s) {
        steps.clear();
        otherSteps.clear();
        figures.clear();
        targets.clear();
        if (s == null) {
            return;
        }
        Geometry g = s.image().geometry();
        thisLabel.set(new CompareTarget(g.clusterSize(), g.extendedL2()).label() + " (this image)");
        if (g.clusterSize() >= 16384) {
            targets.add(new CompareTarget(g.clusterSize(), !g.extendedL2()));
        }
        for (long cs : LabViewModel.CLUSTER_SIZES) {
            if (cs != g.clusterSize()) {
                targets.add(new CompareTarget(cs, g.extendedL2()));
            }
        }
        compareWith.set(targets.isEmpty() ? null : targets.get(0));
        status.set("Pick a guest offset and a length, then Plan: the image file is not written.");
    }

    /** Fills the offset with the start of a guest cluster (the guest map's context menu). */
    public void prepare(long guestOffset) {
        offset.set("0x" + Long.toHexString(guestOffset));
    }

    /** Plans the write on this image, then on the comparison image. */
    public void plan() {
        ImageSession s = session.get();
        if (s == null || busy.get()) {
            return;
        }
        long off;
        long len;
        try {
            off = parse(offset.get());
            len = parse(length.get());
        } catch (RuntimeException e) {
            status.set("Offset and length are numbers: 4096, 0x11200, 64k, 1M.");
            return;
        }
        if (len <= 0 || len > WriteDryRun.MAX_LENGTH || off < 0 || off > s.image().virtualSize() - len) {
            status.set(String.format(Locale.ROOT, "The write must lie inside the disk of %s bytes and be 1 byte to %d MiB.",
                    s.image().virtualSize(), WriteDryRun.MAX_LENGTH >> 20));
            return;
        }
        Path path = s.path();
        OpenOptions o = s.image().options().withCheckMode(false).withWritable(false);
        CompareTarget t = compareWith.get();
        busy.set(true);
        status.set("Planning...");
        executor.execute("Write dry run", m -> {
            if (t == null) {
                return new WriteComparison(WriteDryRun.plan(path, o, off, len, (byte) 0xa5), null, 0, false);
            }
            return WriteComparison.plan(path, o, off, len, t.clusterSize(), t.extendedL2(), scratch);
        }, new TaskListener<WriteComparison>() {
            @Override
            public void succeeded(WriteComparison c) {
                busy.set(false);
                show(c, t);
            }

            @Override
            public void failed(Throwable e) {
                busy.set(false);
                status.set("Could not plan the write: " + e.getMessage());
            }
        });
    }

    private void show(WriteComparison c, CompareTarget t) {
        steps.setAll(WritePlanNarrative.steps(c.image()));
        if (c.other() == null) {
            otherSteps.clear();
            figures.setAll(figures(c.image(), c.image()));
        } else {
            otherSteps.setAll(WritePlanNarrative.steps(c.other()));
            figures.setAll(figures(c.image(), c.other()));
        }
        WritePlan p = c.image();
        status.set(String.format(Locale.ROOT, "Planned on a scratch overlay: %d steps, %d flushes; the file is "
                + "unchanged.%s", steps.size(), p.flushes(), t == null ? "" : " Compared with " + t.label() + "."));
    }

    private static List<ComparisonFigure> figures(WritePlan a, WritePlan b) {
        return List.of(
                new ComparisonFigure("COW copied", a.cowBytes(), b.cowBytes(), true),
                new ComparisonFigure("Data written", a.dataBytesWritten(), b.dataBytesWritten(), true),
                new ComparisonFigure("Metadata written", a.metadataBytesWritten(), b.metadataBytesWritten(), true),
                new ComparisonFigure("Clusters allocated", a.clustersAllocated(), b.clustersAllocated(), false),
                new ComparisonFigure("Flushes", a.flushes(), b.flushes(), false));
    }

    static long parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
        if (t.startsWith("0x")) {
            return Long.parseUnsignedLong(t.substring(2), 16);
        }
        long mul = switch (t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(mul == 1 ? t : t.substring(0, t.length() - 1)) * mul;
    }

    public ObjectProperty<ImageSession> sessionProperty() {
        return session;
    }

    public StringProperty offsetProperty() {
        return offset;
    }

    public StringProperty lengthProperty() {
        return length;
    }

    public ObservableList<CompareTarget> targets() {
        return targets;
    }

    public ObjectProperty<CompareTarget> compareWithProperty() {
        return compareWith;
    }

    public ObservableList<PlanStep> steps() {
        return steps;
    }

    public ObservableList<PlanStep> otherSteps() {
        return otherSteps;
    }

    public ObservableList<ComparisonFigure> figures() {
        return figures;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty thisLabelProperty() {
        return thisLabel.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}

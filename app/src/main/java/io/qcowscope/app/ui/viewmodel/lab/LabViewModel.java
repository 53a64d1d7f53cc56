package io.qcowscope.app.ui.viewmodel.lab;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskHandle;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.bench.QemuIoRunner;
import io.qcowscope.engine.bench.RandomWriteWorkload;
import io.qcowscope.engine.bench.ScratchImages;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The subcluster lab (KVM Forum 2020, "Faster and Smaller qcow2 Files With Subcluster-based Allocation"): N random 4 KiB
 * writes into an empty image of size S, per cluster size, standard and extended L2, with and without a backing file,
 * each row through the engine's {@link RandomWriteWorkload#runRow} (the code {@code qcowscope bench} runs), optionally
 * through qemu-io too. Rows run one after another on the task executor, in a temporary directory removed afterwards.
 */
public final class LabViewModel {
    public static final long[] CLUSTER_SIZES = {64 << 10, 128 << 10, 256 << 10, 512 << 10, 1 << 20, 2 << 20};

    private final TaskExecutor executor;
    private final LongProperty virtualSize = new SimpleLongProperty(this, "virtualSize", 4L << 30);
    private final LongProperty totalBytes = new SimpleLongProperty(this, "totalBytes", 10L << 20);
    private final LongProperty seed = new SimpleLongProperty(this, "seed", 2020);
    private final List<BooleanProperty> clusterSizes = new ArrayList<>();
    private final BooleanProperty standardL2 = new SimpleBooleanProperty(this, "standardL2", true);
    private final BooleanProperty extendedL2 = new SimpleBooleanProperty(this, "extendedL2", true);
    private final BooleanProperty withoutBacking = new SimpleBooleanProperty(this, "withoutBacking", true);
    private final BooleanProperty withBacking = new SimpleBooleanProperty(this, "withBacking", true);
    private final BooleanProperty qemu = new SimpleBooleanProperty(this, "qemu", false);
    private final ReadOnlyBooleanWrapper qemuAvailable = new ReadOnlyBooleanWrapper(this, "qemuAvailable");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ObservableList<LabRow> rows = FXCollections.observableArrayList();
    private Path scratchParent;
    private TaskHandle handle;

    public LabViewModel(TaskExecutor executor) {
        this(executor, QemuIoRunner.available());
    }

    LabViewModel(TaskExecutor executor, boolean qemuOnPath) {
        this.executor = executor;
        for (long ignored : CLUSTER_SIZES) {
            clusterSizes.add(new SimpleBooleanProperty(true));
        }
        qemuAvailable.set(qemuOnPath);
    }

    /** Where temporary images go (default: the system's temporary directory). */
    public void setScratchDirectory(Path parent) {
        this.scratchParent = parent;
    }

    /** The rows the current choices select, in the table's order: backing, cluster size, kind of L2. */
    public List<RandomWriteWorkload.Configuration> selectedConfigurations() {
        List<RandomWriteWorkload.Configuration> out = new ArrayList<>();
        for (boolean b : new boolean[]{false, true}) {
            if (b ? !withBacking.get() : !withoutBacking.get()) {
                continue;
            }
            for (int i = 0; i < CLUSTER_SIZES.length; i++) {
                if (!clusterSizes.get(i).get()) {
                    continue;
                }
                for (boolean ext : new boolean[]{false, true}) {
                    if (ext ? extendedL2.get() : standardL2.get()) {
                        out.add(new RandomWriteWorkload.Configuration(CLUSTER_SIZES[i], ext, b));
                    }
                }
            }
        }
        return out;
    }

    public RandomWriteWorkload workload() {
        return new RandomWriteWorkload(virtualSize.get(), totalBytes.get(), 4096, seed.get(), (byte) 0xa5);
    }

    /** Runs the selected rows; the previous results are replaced. */
    public void run() {
        if (running.get()) {
            return;
        }
        RandomWriteWorkload work = workload();
        if (work.writes() < 1 || work.virtualSize() < 1 << 20) {
            status.set("Choose a disk of at least 1 MiB and at least one 4 KiB write.");
            return;
        }
        List<LabRow> list = new ArrayList<>();
        for (RandomWriteWorkload.Configuration c : selectedConfigurations()) {
            list.add(new LabRow(c));
        }
        if (list.isEmpty()) {
            status.set("Choose at least one cluster size, one kind of L2 entry and one backing choice.");
            return;
        }
        rows.setAll(list);
        boolean withQemu = qemu.get() && qemuAvailable.get();
        running.set(true);
        status.set(String.format(Locale.ROOT, "Running %d rows: %d random 4 KiB writes (seed %d) into %s...",
                list.size(), work.writes(), work.seed(), size(work.virtualSize())));
        long t0 = System.nanoTime();
        handle = executor.execute("Subcluster lab", m -> runRows(work, list, withQemu, m), new TaskListener<Integer>() {
            @Override
            public void succeeded(Integer done) {
                running.set(false);
                status.set(String.format(Locale.ROOT, "%d rows in %.1f s (%d random 4 KiB writes, seed %d, %s disk).",
                        done, (System.nanoTime() - t0) / 1e9, work.writes(), work.seed(), size(work.virtualSize())));
            }

            @Override
            public void failed(Throwable e) {
                running.set(false);
                status.set("The lab stopped: " + e.getMessage());
            }

            @Override
            public void cancelled() {
                running.set(false);
                rows.stream().filter(r -> r.oursProperty().get() == null).forEach(r -> r.stateProperty().set("cancelled"));
                status.set("Cancelled.");
            }
        });
    }

    private Integer runRows(RandomWriteWorkload work, List<LabRow> list, boolean withQemu, ProgressMonitor m)
            throws IOException, InterruptedException {
        Path dir = scratchParent == null ? Files.createTempDirectory("qcowscope-lab")
                : Files.createTempDirectory(scratchParent, "qcowscope-lab");
        try {
            if (list.stream().anyMatch(r -> r.config().backing())) {
                work.createBackingFile(dir);
            }
            if (withQemu) {
                work.writeQemuIoScript(dir.resolve(QemuIoRunner.SCRIPT));
            }
            try (ScratchImages images = new ScratchImages(dir)) {
                return runEach(work, list, withQemu, m, dir, images);
            }
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The rows one after another; each row's image goes to {@code images}, deleted in batches. */
    private int runEach(RandomWriteWorkload work, List<LabRow> list, boolean withQemu, ProgressMonitor m, Path dir,
            ScratchImages images) throws IOException, InterruptedException {
        int done = 0;
        for (LabRow row : list) {
            m.checkCancelled();
            executor.runOnUi(() -> row.stateProperty().set("running"));
            RandomWriteWorkload.Measurement ours = work.runRow(dir, row.config(), rowMonitor(row, m, withQemu),
                    RandomWriteWorkload.RowWriter.IN_PROCESS, images);
            executor.runOnUi(() -> row.oursProperty().set(ours));
            if (withQemu) {
                m.checkCancelled();
                executor.runOnUi(() -> row.stateProperty().set("running QEMU"));
                RandomWriteWorkload.Measurement q = QemuIoRunner.runRow(dir, work, row.config());
                executor.runOnUi(() -> row.qemuProperty().set(q));
            }
            executor.runOnUi(() -> {
                row.progressProperty().set(1);
                row.stateProperty().set("done");
            });
            done++;
            m.progress(done, list.size());
        }
        return done;
    }

    /** Progress of one row goes to its own bar (half of it when QEMU runs the row too); cancellation is the task's. */
    private ProgressMonitor rowMonitor(LabRow row, ProgressMonitor task, boolean withQemu) {
        double share = withQemu ? 0.5 : 1;
        return new ProgressMonitor() {
            @Override
            public void progress(long done, long total) {
                double f = total <= 0 ? 0 : share * done / total;
                executor.runOnUi(() -> row.progressProperty().set(f));
            }

            @Override
            public boolean isCancelled() {
                return task.isCancelled();
            }
        };
    }

    public void cancel() {
        if (handle != null) {
            handle.cancel();
        }
    }

    /** The table as CSV, one line per row (QEMU's columns empty when it did not run). */
    public String csv() {
        StringBuilder b = new StringBuilder("cluster-size,extended-l2,backing,image-size,allocated-size,cow-bytes,"
                + "l2-coverage-bytes,host-bytes-written,seconds,writes-per-second,qemu-image-size,qemu-host-bytes-written,"
                + "qemu-seconds,qemu-writes-per-second\n");
        for (LabRow r : rows) {
            RandomWriteWorkload.Measurement o = r.oursProperty().get();
            RandomWriteWorkload.Measurement q = r.qemuProperty().get();
            if (o == null) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "%d,%b,%b,%d,%d,%d,%d,%d,%.3f,%d,", r.config().clusterSize(),
                    r.config().extendedL2(), r.config().backing(), o.imageSize(), o.allocatedSize(), o.cowBytes(),
                    o.l2CoverageBytes(), o.hostBytesWritten(), o.seconds(), Math.round(o.writesPerSecond())));
            if (q != null) {
                b.append(String.format(Locale.ROOT, "%d,%d,%.3f,%d", q.imageSize(), q.hostBytesWritten(), q.seconds(),
                        Math.round(q.writesPerSecond())));
            } else {
                b.append(",,,");
            }
            b.append('\n');
        }
        return b.toString();
    }

    public void exportCsv(Path file) throws IOException {
        Files.writeString(file, csv(), StandardCharsets.UTF_8);
    }

    /** Writes a picture of the charts (ARGB pixels taken by the view) as PNG, off the UI thread. */
    public void exportPicture(Path file, int width, int height, int[] argb) {
        executor.execute("Export lab charts", m -> {
            try (var out = Files.newOutputStream(file);
                    var png = new io.qcowscope.app.ui.render.PngWriter(out, width, height)) {
                png.writeRows(argb, height);
            }
            return file;
        }, new TaskListener<Path>() {
            @Override
            public void succeeded(Path p) {
                status.set("Charts saved to " + p + " (" + width + "x" + height + ").");
            }

            @Override
            public void failed(Throwable e) {
                status.set("Could not save the charts: " + e.getMessage());
            }
        });
    }

    static String size(long bytes) {
        return io.qcowscope.app.ui.viewmodel.Sizes.bytes(bytes);
    }

    public LongProperty virtualSizeProperty() {
        return virtualSize;
    }

    public LongProperty totalBytesProperty() {
        return totalBytes;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    /** One choice per entry of {@link #CLUSTER_SIZES}. */
    public List<BooleanProperty> clusterSizeChoices() {
        return clusterSizes;
    }

    public BooleanProperty standardL2Property() {
        return standardL2;
    }

    public BooleanProperty extendedL2Property() {
        return extendedL2;
    }

    public BooleanProperty withoutBackingProperty() {
        return withoutBacking;
    }

    public BooleanProperty withBackingProperty() {
        return withBacking;
    }

    public BooleanProperty qemuProperty() {
        return qemu;
    }

    public ReadOnlyBooleanProperty qemuAvailableProperty() {
        return qemuAvailable.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ObservableList<LabRow> rows() {
        return rows;
    }
}

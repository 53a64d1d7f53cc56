package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.repair.AppliedChanges;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.app.demo.DemoImage;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskHandle;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.FileTrustPolicy;
import io.qcowscope.engine.image.ImageLayer;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.image.UntrustedFileException;
import io.qcowscope.engine.layout.GuestLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The window's state: the open image, the background work and its progress, recent files, theme; and the view-models of
 * every view, wired to one shared selection. Holds no Nodes.
 */
public final class MainViewModel {
    /** Asks the user whether to follow a backing or data file the image names (a dialog in the window). */
    @FunctionalInterface
    public interface TrustPrompt {
        boolean allow(Path image, String name, Path resolved, String reason);
    }

    private static final int MAX_RECENT = 8;
    /** Background work that took at least this long is announced when it finishes (the user may have looked away). */
    static final long NOTICE_AFTER_MS = 1500;

    private final TaskExecutor executor;
    private final RecentFiles recentStore;
    private final ReadOnlyObjectWrapper<ImageSession> session = new ReadOnlyObjectWrapper<>(this, "session");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "qcowscope");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy", false);
    private final ReadOnlyBooleanWrapper layoutReady = new ReadOnlyBooleanWrapper(this, "layoutReady", false);
    /** True from the start of an image's guest and host scans until both have delivered (or failed or stopped). */
    private final ReadOnlyBooleanWrapper scanning = new ReadOnlyBooleanWrapper(this, "scanning", false);
    private int scansRunning;
    /** The guest scan's part of the progress bar (about its part of the two scans' time on a 1 TiB image). */
    private static final double GUEST_SHARE = 1.0 / 3;
    private final ReadOnlyBooleanWrapper extendedL2 = new ReadOnlyBooleanWrapper(this, "extendedL2", false);
    private final javafx.beans.property.ReadOnlyIntegerWrapper chainLayers =
            new javafx.beans.property.ReadOnlyIntegerWrapper(this, "chainLayers", 1);
    private final BooleanProperty darkTheme = new SimpleBooleanProperty(this, "darkTheme", false);
    private final ObservableList<Path> recent = FXCollections.observableArrayList();
    private TrustPrompt trustPrompt = (i, n, r, why) -> false;
    private final List<TaskHandle> running = new ArrayList<>();

    private final SelectionModel selection = new SelectionModel();
    private final OverviewViewModel overview = new OverviewViewModel();
    private final HostMapViewModel hostMap = new HostMapViewModel(selection);
    private final GuestMapViewModel guestMap = new GuestMapViewModel(selection);
    private final HexViewModel hex = new HexViewModel();
    private final TablesViewModel tables = new TablesViewModel(selection, hex);
    private final RefcountsViewModel refcounts = new RefcountsViewModel(selection);
    private final SnapshotsViewModel snapshots = new SnapshotsViewModel(tables);
    private final FindingsViewModel findings = new FindingsViewModel(selection);
    private final SelectionPath selectionPath = new SelectionPath(selection, tables);
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final PictureExportViewModel pictureExport;
    private final io.qcowscope.app.ui.viewmodel.edit.OperationQueue operations =
            new io.qcowscope.app.ui.viewmodel.edit.OperationQueue();
    private final io.qcowscope.app.ui.viewmodel.teach.ExplainViewModel explain =
            new io.qcowscope.app.ui.viewmodel.teach.ExplainViewModel(selection, tables, overview, snapshots);
    private final io.qcowscope.app.ui.viewmodel.teach.ReadStepperViewModel readStepper =
            new io.qcowscope.app.ui.viewmodel.teach.ReadStepperViewModel(selection, tables, hex);
    private final io.qcowscope.app.ui.viewmodel.lab.LabViewModel lab;
    private final io.qcowscope.app.ui.viewmodel.lab.WriteDryRunViewModel writeDryRun;
    private final io.qcowscope.app.ui.viewmodel.edit.EditViewModel edit;
    private final io.qcowscope.app.ui.viewmodel.repair.RepairViewModel repair;
    private final io.qcowscope.app.ui.viewmodel.repair.RescueViewModel rescue;
    /** An image that failed to open with a typed format error and that a rescue may mend (issue 14), or null. */
    private final ReadOnlyObjectWrapper<Path> rescuable = new ReadOnlyObjectWrapper<>(this, "rescuable");

    public MainViewModel(TaskExecutor executor, RecentFiles recentStore) {
        this.executor = executor;
        this.recentStore = recentStore;
        selection.setExecutor(executor);
        guestMap.setExecutor(executor);
        tables.setExecutor(executor);
        readStepper.setExecutor(executor);
        refcounts.setExecutor(executor);
        snapshots.setExecutor(executor);
        this.pictureExport = new PictureExportViewModel(executor);
        this.lab = new io.qcowscope.app.ui.viewmodel.lab.LabViewModel(executor);
        this.writeDryRun = new io.qcowscope.app.ui.viewmodel.lab.WriteDryRunViewModel(executor);
        writeDryRun.sessionProperty().bind(session);
        this.repair = new io.qcowscope.app.ui.viewmodel.repair.RepairViewModel(executor, selection, operations);
        this.rescue = new io.qcowscope.app.ui.viewmodel.repair.RescueViewModel(executor, this::open);
        tables.setPreview(repair.preview());
        refcounts.setPreview(repair.preview());
        pictureExport.messageProperty().addListener((o, a, b) -> status.set(b));
        recent.setAll(recentStore.load());
        this.edit = new io.qcowscope.app.ui.viewmodel.edit.EditViewModel(executor, operations, editHost());
        edit.mode().labelProperty().addListener((o, a, b) -> updateTitle());
        edit.runner().changedProperty().addListener((o, a, b) -> {
            guestMap.setChangedItems(b.guestClusters());
            hostMap.setChangedItems(b.hostClusters());
            tables.setApplied(b.applied());
            refcounts.setApplied(b.applied());
        });
        selection.hostClusterProperty().addListener((o, a, b) -> {
            if (b.longValue() >= 0 && selection.l2IndexProperty().get() < 0) {
                hex.showCluster(b.longValue());
                showSnapshotL1(b.longValue());
            }
        });
    }

    /** A snapshot L1 cluster chosen in the host map becomes the source of the table views. */
    private void showSnapshotL1(long cluster) {
        ImageSession s = session.get();
        if (s == null || s.layout() == null || s.layout().role(cluster) != HostClusterRole.SNAPSHOT_L1) {
            return;
        }
        int bits = s.image().geometry().clusterBits();
        var snaps = s.image().snapshots();
        for (int i = 0; i < snaps.size(); i++) {
            long first = snaps.get(i).l1TableOffset() >>> bits;
            long last = (snaps.get(i).l1TableOffset() + Math.max(1, snaps.get(i).l1Size() * 8) - 1) >>> bits;
            if (cluster >= first && cluster <= last) {
                tables.selectSource(i + 1);
                return;
            }
        }
    }

    public void setTrustPrompt(TrustPrompt p) {
        trustPrompt = p;
    }

    /** Opens the built-in demo image, written in the background by the engine's writer. */
    public void openDemo() {
        if (!edit.mayClose()) {
            return;
        }
        cancel();
        busy.set(true);
        progress.set(-1);
        status.set("writing the demo image");
        running.add(executor.execute("demo", m -> DemoImage.create(), new TaskListener<Path>() {
            @Override
            public void succeeded(Path p) {
                open(p);
            }

            @Override
            public void failed(Throwable e) {
                busy.set(false);
                progress.set(0);
                status.set("");
                error.set("cannot create the demo image: " + e.getMessage());
            }
        }));
    }

    /**
     * Opens an image read-only; backing files outside the default trust scope are followed only if the prompt allows.
     * Pending operations on the image open now are dropped only if the user agrees.
     */
    public void open(Path path) {
        if (edit.mayClose()) {
            load(path);
        }
    }

    private void load(Path path) {
        cancel();
        Path p = path.toAbsolutePath().normalize();
        busy.set(true);
        progress.set(-1);
        status.set("opening " + p);
        overview.opening(String.valueOf(p.getFileName()));
        error.set("");
        rescuable.set(null);
        Set<Path> allowed = new HashSet<>();
        openWith(p, allowed);
    }

    private void openWith(Path p, Set<Path> allowed) {
        running.add(executor.execute("open", m -> {
            long t0 = System.nanoTime();
            OpenOptions o = OpenOptions.readOnly().withCheckMode(true).withTrust(FileTrustPolicy.defaultPolicy().allowing(allowed));
            Qcow2Image img = Qcow2Image.open(p, o);
            long opened = System.nanoTime() - t0;
            return new ImageSession(p, img, opened, diskUsage(img));
        }, new TaskListener<ImageSession>() {
            @Override
            public void succeeded(ImageSession s) {
                UntrustedFileException refused = refusedLink(s.image());
                if (refused != null && !FileTrustPolicy.isProtocolSpec(refused.requested())) {
                    Path resolved = FileTrustPolicy.resolveName(p, refused.requested()).toAbsolutePath().normalize();
                    if (!allowed.contains(resolved)
                            && trustPrompt.allow(p, refused.requested(), resolved, refused.getMessage())) {
                        closeQuietly(s);
                        allowed.add(resolved);
                        openWith(p, allowed);
                        return;
                    }
                }
                opened(s);
            }

            @Override
            public void failed(Throwable e) {
                busy.set(false);
                progress.set(0);
                status.set("");
                overview.notOpening();
                error.set("cannot open " + p + ": " + e.getMessage());
                offerRescue(p, e);
            }

            @Override
            public void cancelled() {
                busy.set(false);
                overview.notOpening();
                status.set("cancelled");
            }
        }));
    }

    /**
     * After a failed open: a typed format error (not a host I/O error, not the trust gate) on a file that is a damaged
     * qcow2 image gets the offer of a rescue; the header cluster is read in the background to tell (issue 14).
     */
    private void offerRescue(Path p, Throwable e) {
        if (!(e instanceof io.qcowscope.engine.format.Qcow2Exception) || e instanceof UntrustedFileException
                || e instanceof io.qcowscope.engine.format.Qcow2IoException) {
            return;
        }
        running.add(executor.execute("rescue probe",
                m -> java.util.Optional.ofNullable(io.qcowscope.engine.repair.rescue.RescuePlanner.nothingToRescue(p)),
                new TaskListener<java.util.Optional<String>>() {
                    @Override
                    public void succeeded(java.util.Optional<String> nothing) {
                        if (nothing.isEmpty() && error.get().startsWith("cannot open " + p + ":")) {
                            rescuable.set(p);
                        }
                    }
                }));
    }

    /** "Rescue this image...": the rescue of the image that failed to open, planned with the defaults. */
    public void rescueOffered() {
        Path p = rescuable.get();
        if (p != null) {
            rescue.start(p);
        }
    }

    /** The image the window offers to rescue (it failed to open), or null. */
    public ReadOnlyObjectProperty<Path> rescuableProperty() {
        return rescuable.getReadOnlyProperty();
    }

    public io.qcowscope.app.ui.viewmodel.repair.RescueViewModel rescue() {
        return rescue;
    }

    private static long diskUsage(Qcow2Image img) {
        try {
            return img.storage().allocatedBytes();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The first backing or data file of the chain that the trust policy refused, or null. */
    private static UntrustedFileException refusedLink(Qcow2Image top) {
        for (ImageLayer l = top; l != null; l = l.backing()) {
            if (l instanceof Qcow2Image q) {
                if (q.backing() == null && q.backingError() instanceof UntrustedFileException u) {
                    return u;
                }
                if (q.dataStorage() == null && q.dataFileError() instanceof UntrustedFileException u) {
                    return u;
                }
            }
        }
        return null;
    }

    private void opened(ImageSession s) {
        ImageSession old = session.get();
        if (old != null) {
            closeQuietly(old);
        }
        if (old == null || !old.path().equals(s.path())) {
            guestMap.setChangedItems(MapModel.NO_ITEMS); // the marks of an Apply belong to its file
            hostMap.setChangedItems(MapModel.NO_ITEMS);
            tables.setApplied(AppliedChanges.NONE);
            refcounts.setApplied(AppliedChanges.NONE);
        }
        layoutReady.set(false);
        selection.setSession(s);
        session.set(s);
        edit.mode().sessionChanged(s.path());
        updateTitle();
        extendedL2.set(s.image().geometry().extendedL2());
        int layers = 0;
        for (ImageLayer l = s.image(); l != null; l = l.backing()) {
            layers++;
        }
        chainLayers.set(layers);
        overview.notOpening();
        overview.load(s);
        hostMap.setSource(null);
        guestMap.setSession(s);
        hex.setSession(s);
        tables.setSession(s);
        refcounts.setSession(s);
        snapshots.setSession(s);
        findings.setCheck(null, 16);
        explain.setSession(s);
        readStepper.setSession(s);
        repair.setSession(s);
        addRecent(s.path());
        status.set(String.format("opened %s in %.0f ms; scanning the layout", s.path().getFileName(),
                s.openNanos() / 1e6));
        // The scans start once the window has taken in the image (its first tables styled and laid out): begun at the
        // next frame, they shared the CPU with that styling, and one FX task took 95-205 ms of their run (1 TiB image).
        executor.whenSettled(() -> {
            if (session.get() == s) {
                scan(s);
            }
        });
    }

    /** The title names the image and the mode it is open in (read-only or editing). */
    private void updateTitle() {
        ImageSession s = session.get();
        title.set(s == null ? "qcowscope" : "qcowscope - " + s.path().getFileName() + " (" + edit.mode().labelProperty().get()
                + ")");
    }

    /** The edit view-models' access to the open image: reopening after an Apply skips the pending-operations question. */
    private io.qcowscope.app.ui.viewmodel.edit.EditHost editHost() {
        return new io.qcowscope.app.ui.viewmodel.edit.EditHost() {
            @Override
            public ImageSession session() {
                return session.get();
            }

            @Override
            public void cancelBackgroundWork() {
                cancel();
            }

            @Override
            public void releaseImage(ImageSession s) {
                closeQuietly(s);
            }

            @Override
            public void reopen(Path image) {
                load(image);
            }

            @Override
            public void status(String message) {
                status.set(message);
            }

            @Override
            public void error(String message) {
                error.set(message);
            }
        };
    }

    private void scan(ImageSession s) {
        long t0 = System.nanoTime();
        scansRunning += 2;
        scanning.set(true);
        // The bar is determinate from the scans' start: the guest scan is its first third, the host scan the rest
        // (the guest scan's progress was not shown, and the bar said nothing of it while it ran).
        progress.set(0);
        running.add(executor.execute("guest map", m -> {
            GuestLayout g = GuestLayout.build(s.image(), m);
            return new GuestMapViewModel.Scanned(g, GuestMapViewModel.countStates(g));
        }, new TaskListener<GuestMapViewModel.Scanned>() {
                    @Override
                    public void progress(double f) {
                        if (session.get() == s && f >= 0) {
                            progress.set(f * GUEST_SHARE);
                        }
                    }

                    @Override
                    public void succeeded(GuestMapViewModel.Scanned scanned) {
                        GuestLayout r = scanned.layout();
                        // the map, then the overview's figures, each on a frame of its own
                        executor.onFrames(() -> {
                            if (session.get() == s) {
                                guestMap.accept(r, scanned.stateCounts());
                            }
                        }, () -> {
                            try {
                                if (session.get() == s) {
                                    overview.guestScanned(r.figures().allocated(), r.figures().fragmented(),
                                            r.figures().compressed(), r.clusters());
                                }
                            } finally {
                                scanEnded();
                            }
                        });
                    }

                    @Override
                    public void failed(Throwable e) {
                        if (session.get() == s) {
                            error.set("guest map: " + e.getMessage());
                            overview.scanStopped("scan failed");
                        }
                        scanEnded();
                    }

                    @Override
                    public void cancelled() {
                        if (session.get() == s) {
                            overview.scanStopped("scan cancelled");
                        }
                        scanEnded();
                    }
                }));
        running.add(executor.execute("host layout", m -> EngineHostLayout.build(s.image(), m),
                new TaskListener<EngineHostLayout>() {
                    @Override
                    public void progress(double f) {
                        if (session.get() == s) {
                            progress.set(f < 0 ? f : GUEST_SHARE + f * (1 - GUEST_SHARE));
                        }
                    }

                    /**
                     * The layout goes to the views one a frame (the host map, the overview, the findings, the rest), so
                     * that the styling and layout each causes is a frame's work, not all of it in one.
                     */
                    @Override
                    public void succeeded(EngineHostLayout l) {
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        executor.onFrames(() -> {
                            if (session.get() == s) {
                                s.setLayout(l);
                                hostMap.setSource(l);
                            }
                        }, () -> {
                            if (session.get() == s) {
                                overview.layoutScanned(l);
                            }
                        }, () -> {
                            if (session.get() == s) {
                                findings.setCheck(l.check(), s.image().geometry().clusterBits());
                            }
                        }, () -> {
                            if (session.get() == s) {
                                refcounts.layoutScanned();
                                explain.layoutScanned();
                                repair.layoutScanned();
                            }
                        }, () -> {
                            try {
                                if (session.get() == s) {
                                    layoutReady.set(true);
                                    String message = String.format("%s: layout scanned in %d ms, %s",
                                            s.path().getFileName(), ms,
                                            Plural.of(l.check().findings().size(), "finding"));
                                    done(message);
                                    if (ms >= NOTICE_AFTER_MS) {
                                        notice.set("");
                                        notice.set(message);
                                    }
                                }
                            } finally {
                                scanEnded();
                            }
                        });
                    }

                    @Override
                    public void failed(Throwable e) {
                        if (session.get() == s) {
                            error.set("layout scan: " + e.getMessage());
                            findings.checkStopped("failed");
                            overview.scanStopped("scan failed");
                            done("");
                        }
                        scanEnded();
                    }

                    @Override
                    public void cancelled() {
                        if (session.get() == s) {
                            findings.checkStopped("was cancelled");
                            overview.scanStopped("scan cancelled");
                            done("layout scan cancelled");
                        }
                        scanEnded();
                    }
                }));
    }

    /** One of the two scans has delivered, failed or stopped. */
    private void scanEnded() {
        scansRunning = Math.max(0, scansRunning - 1);
        scanning.set(scansRunning > 0);
    }

    private void done(String message) {
        busy.set(false);
        progress.set(0);
        status.set(message);
        running.removeIf(TaskHandle::isDone);
    }

    /** Stops the background work in progress. */
    public void cancel() {
        for (TaskHandle h : running) {
            h.cancel();
        }
        running.clear();
        if (busy.get()) {
            busy.set(false);
            progress.set(0);
            status.set("cancelled");
        }
    }

    public void toggleTheme() {
        darkTheme.set(!darkTheme.get());
    }

    private void addRecent(Path p) {
        List<Path> l = new ArrayList<>(recent);
        l.remove(p);
        l.add(0, p);
        while (l.size() > MAX_RECENT) {
            l.remove(l.size() - 1);
        }
        if (p.getFileName() != null && !p.toString().contains("qcowscope-demo")) {
            recent.setAll(l);
            recentStore.save(l);
        }
    }

    private static void closeQuietly(ImageSession s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing a read-only image cannot lose data
        }
    }

    public ReadOnlyObjectProperty<ImageSession> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty scanningProperty() {
        return scanning.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty layoutReadyProperty() {
        return layoutReady.getReadOnlyProperty();
    }

    /** Whether the open image has extended L2 entries (subclusters, spec 3.5). */
    public ReadOnlyBooleanProperty extendedL2Property() {
        return extendedL2.getReadOnlyProperty();
    }

    /** Layers of the open image's backing chain, the image itself included. */
    public javafx.beans.property.ReadOnlyIntegerProperty chainLayersProperty() {
        return chainLayers.getReadOnlyProperty();
    }

    public BooleanProperty darkThemeProperty() {
        return darkTheme;
    }

    public ObservableList<Path> recentFiles() {
        return FXCollections.unmodifiableObservableList(recent);
    }

    public SelectionModel selection() {
        return selection;
    }

    public OverviewViewModel overview() {
        return overview;
    }

    public HostMapViewModel hostMap() {
        return hostMap;
    }

    public GuestMapViewModel guestMap() {
        return guestMap;
    }

    public TablesViewModel tables() {
        return tables;
    }

    public RefcountsViewModel refcounts() {
        return refcounts;
    }

    public SnapshotsViewModel snapshots() {
        return snapshots;
    }

    public HexViewModel hex() {
        return hex;
    }

    public SelectionPath selectionPath() {
        return selectionPath;
    }

    /** A message about finished background work worth a notification; set anew each time. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public FindingsViewModel findings() {
        return findings;
    }

    /** The pending operations of this window (issue 9): nothing is written until they are applied. */
    public io.qcowscope.app.ui.viewmodel.edit.OperationQueue operations() {
        return operations;
    }

    /** The Explain panel (issue 10): what the selection is, the rule behind its value, what it means here. */
    public io.qcowscope.app.ui.viewmodel.teach.ExplainViewModel explain() {
        return explain;
    }

    /** The step-through of a guest read (issue 10). */
    public io.qcowscope.app.ui.viewmodel.teach.ReadStepperViewModel readStepper() {
        return readStepper;
    }

    /** Edit mode, guest edits, snapshot operations, Apply and Undo (issue 9). */
    public io.qcowscope.app.ui.viewmodel.edit.EditViewModel edit() {
        return edit;
    }

    /** The repair workspace of the Findings & Repair tab (issue 9). */
    public io.qcowscope.app.ui.viewmodel.repair.RepairViewModel repair() {
        return repair;
    }

    public PictureExportViewModel pictureExport() {
        return pictureExport;
    }

    /** The subcluster lab (issue 10). */
    public io.qcowscope.app.ui.viewmodel.lab.LabViewModel lab() {
        return lab;
    }

    /** "What would a write do?" on the open image (issue 10). */
    public io.qcowscope.app.ui.viewmodel.lab.WriteDryRunViewModel writeDryRun() {
        return writeDryRun;
    }
}

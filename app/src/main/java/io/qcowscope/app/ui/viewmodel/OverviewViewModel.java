package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.FeatureWord;
import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.HeaderField;
import io.qcowscope.engine.format.HeaderFields;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.ImageLayer;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.LayoutSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The overview: header fields, feature bits, extensions, backing chain and key figures. Loaded from memory at open. */
public final class OverviewViewModel {
    /** What the empty header table says when no image is open or opening. */
    public static final String OPEN_HINT =
            "Open an image: File > Open (Ctrl+O), drop a file on the window, or Ctrl+D for the demo.";
    private static final String DISK_USAGE = "disk usage";
    private static final String GUEST_DATA_STORED = "guest data stored";
    private static final String DATA_IN_HOLES = "data in holes";
    private final javafx.beans.property.ReadOnlyStringWrapper hint =
            new javafx.beans.property.ReadOnlyStringWrapper(this, "hint", OPEN_HINT);
    private final ObservableList<HeaderField> headerFields = FXCollections.observableArrayList();
    private final ObservableList<FactRow> features = FXCollections.observableArrayList();
    private final ObservableList<FactRow> extensions = FXCollections.observableArrayList();
    private final ObservableList<FactRow> chain = FXCollections.observableArrayList();
    private final ObservableList<FactRow> figures = FXCollections.observableArrayList();
    private final ObservableList<HeaderField> headerFieldsRo = FXCollections.unmodifiableObservableList(headerFields);
    private final ObservableList<FactRow> featuresRo = FXCollections.unmodifiableObservableList(features);
    private final ObservableList<FactRow> extensionsRo = FXCollections.unmodifiableObservableList(extensions);
    private final ObservableList<FactRow> chainRo = FXCollections.unmodifiableObservableList(chain);
    private final ObservableList<FactRow> figuresRo = FXCollections.unmodifiableObservableList(figures);
    /** The value of a figure whose scan has not delivered yet. */
    static final String SCANNING = "scanning...";
    /** The names of the scans' figures (with GUEST_DATA_STORED and DATA_IN_HOLES). */
    private static final String ALLOCATED = "allocated clusters";
    private static final String FRAGMENTED = "fragmented clusters";
    private static final String COMPRESSED = "compressed clusters";
    private static final String METADATA = "metadata";
    private static final String LEAKED = "leaked";
    private static final String FREE = "free";
    private final List<FactRow> baseFigures = new ArrayList<>();
    private final List<FactRow> layoutFigures = new ArrayList<>();
    private final List<FactRow> guestFigures = new ArrayList<>();
    private long diskUsage = -1;
    private final javafx.beans.property.ObjectProperty<HeaderField> selectedHeaderField =
            new javafx.beans.property.SimpleObjectProperty<>(this, "selectedHeaderField");
    private final javafx.beans.property.ObjectProperty<FactRow> selectedFeature =
            new javafx.beans.property.SimpleObjectProperty<>(this, "selectedFeature");

    /** The header field the user selected (the Explain panel explains it); null for none. */
    public javafx.beans.property.ObjectProperty<HeaderField> selectedHeaderFieldProperty() {
        return selectedHeaderField;
    }

    /** The feature-bit row the user selected; null for none. */
    public javafx.beans.property.ObjectProperty<FactRow> selectedFeatureProperty() {
        return selectedFeature;
    }

    /** The known feature bit a row of {@link #features()} shows, or null (a bit unknown to QEMU 7.2). */
    public static FeatureBit featureOf(FactRow row) {
        for (FeatureBit b : FeatureBit.values()) {
            if (row.detail().equals(b.qemuName())) {
                return b;
            }
        }
        return null;
    }

    /** The empty header table's text: how to open an image, or which one is opening (the status bar says so too). */
    public javafx.beans.property.ReadOnlyStringProperty hintProperty() {
        return hint.getReadOnlyProperty();
    }

    /** {@code name} is being opened: the empty tables say so instead of how to open an image. */
    void opening(String name) {
        hint.set("Opening " + name + "...");
    }

    /** The open ended (opened, failed or cancelled): back to how to open an image. */
    void notOpening() {
        hint.set(OPEN_HINT);
    }

    public ObservableList<HeaderField> headerFields() {
        return headerFieldsRo;
    }

    public ObservableList<FactRow> features() {
        return featuresRo;
    }

    public ObservableList<FactRow> extensions() {
        return extensionsRo;
    }

    public ObservableList<FactRow> chain() {
        return chainRo;
    }

    public ObservableList<FactRow> figures() {
        return figuresRo;
    }

    public void clear() {
        headerFields.clear();
        features.clear();
        extensions.clear();
        chain.clear();
        baseFigures.clear();
        layoutFigures.clear();
        guestFigures.clear();
        figures.clear();
    }

    /** Fills everything that needs no scan. */
    public void load(ImageSession s) {
        clear();
        Qcow2Image img = s.image();
        Qcow2Header h = img.header();
        headerFields.setAll(HeaderFields.of(h));
        for (FeatureWord w : FeatureWord.values()) {
            for (FeatureBit b : FeatureBit.values()) {
                if (b.word() == w) {
                    features.add(new FactRow(w.label() + " bit " + b.bit(), h.has(b) ? "set" : "-", b.qemuName()));
                }
            }
        }
        for (Qcow2Header.SetFeature f : h.setFeatures()) {
            if (f.known() == null) {
                features.add(new FactRow(f.word().label() + " bit " + f.bit(), "set", "unknown to QEMU 7.2"));
            }
        }
        for (HeaderExtension e : img.extensions()) {
            extensions.add(new FactRow(String.format("0x%08x", e.type()), e.kind(),
                    "at byte " + e.offset() + ", " + Plural.of(e.length(), "byte") + describe(e)));
        }
        int depth = 0;
        for (ImageLayer l = img; l != null; l = l.backing(), depth++) {
            String status = l.formatName() + ", " + Sizes.bytes(l.virtualSize());
            chain.add(new FactRow(depth == 0 ? "image" : "backing " + depth, l.filename(), status));
            if (l instanceof Qcow2Image q && q.backingFileName() != null && q.backing() == null) {
                chain.add(new FactRow("backing " + (depth + 1), q.backingFileName(),
                        q.backingError() != null ? "not opened: " + q.backingError().getMessage() : "not opened"));
            }
        }
        long fileSize;
        try {
            fileSize = img.storage().size();
        } catch (IOException e) {
            fileSize = -1;
        }
        var g = img.geometry();
        long l2Tables = 0;
        for (int i = 0; i < img.l1Size(); i++) {
            l2Tables += L1Entry.l2Offset(img.l1Entry(i)) != 0 ? 1 : 0;
        }
        baseFigures.add(new FactRow("virtual size", Sizes.bytes(img.virtualSize()), Plural.of(img.virtualSize(), "byte")));
        baseFigures.add(new FactRow("file size", Sizes.bytes(fileSize), Plural.of(fileSize, "byte")));
        diskUsage = s.diskUsage();
        baseFigures.add(new FactRow(DISK_USAGE, Sizes.bytes(diskUsage), diskUsage < 0 ? "unknown on this file system"
                : "blocks the host allocates (st_blocks), qemu-img info's \"disk size\""));
        baseFigures.add(new FactRow("cluster size", Sizes.bytes(g.clusterSize()),
                g.extendedL2() ? "32 subclusters of " + Sizes.bytes(g.subclusterSize()) : "no subclusters"));
        baseFigures.add(new FactRow("L1 table", Plural.of(img.l1Size(), "entry"), Plural.of(l2Tables, "L2 table") + " of "
                + Plural.of(g.l2Entries(), "entry") + " (" + Sizes.bytes(l2Tables * g.clusterSize()) + ")"));
        baseFigures.add(new FactRow("refcount width", h.refcountBits() + " bits",
                Plural.of(h.refcountTableClusters(), "refcount table cluster")));
        baseFigures.add(new FactRow("snapshots", String.valueOf(img.snapshots().size()), ""));
        long cache = g.clustersFor(img.virtualSize()) * g.l2EntrySize();
        baseFigures.add(new FactRow("L2 cache for full coverage", Sizes.bytes(cache),
                "QEMU's l2-cache-size to cache every L2 entry"));
        baseFigures.add(new FactRow("opened in", String.format("%.1f ms", s.openNanos() / 1e6), ""));
        // The scans' figures have their rows from the start, "scanning...": the table has its final rows before the
        // scans run, and their results change only the text (new rows, styled and laid out while a 1 TiB image was
        // scanned, held the FX thread for 20-50 ms). Data can be in holes only if the file has holes.
        for (String name : new String[] {ALLOCATED, FRAGMENTED, COMPRESSED}) {
            guestFigures.add(new FactRow(name, SCANNING, ""));
        }
        layoutFigures.add(new FactRow(GUEST_DATA_STORED, SCANNING, ""));
        if (diskUsage >= 0 && diskUsage < fileSize) {
            layoutFigures.add(new FactRow(DATA_IN_HOLES, SCANNING, ""));
        }
        for (String name : new String[] {METADATA, LEAKED, FREE}) {
            layoutFigures.add(new FactRow(name, SCANNING, ""));
        }
        refreshFigures();
    }

    private static String describe(HeaderExtension e) {
        if (e instanceof HeaderExtension.BackingFormat b) {
            return ": " + b.format();
        } else if (e instanceof HeaderExtension.DataFileName d) {
            return ": " + d.name();
        } else if (e instanceof HeaderExtension.FeatureNameTable t) {
            return ": " + Plural.of(t.names().size(), "name");
        } else if (e instanceof HeaderExtension.Bitmaps b) {
            return ": " + Plural.of(b.nbBitmaps(), "bitmap");
        }
        return "";
    }

    /** The figures a scan left "scanning..." say why they have no value ("scan failed", "scan cancelled"). */
    public void scanStopped(String why) {
        for (List<FactRow> rows : List.of(guestFigures, layoutFigures)) {
            rows.replaceAll(f -> f.value().equals(SCANNING) ? new FactRow(f.name(), why, f.detail()) : f);
        }
        refreshFigures();
    }

    /** Adds the figures the host layout scan found (the engine's layout summary). */
    public void layoutScanned(HostLayoutSource l) {
        layoutFigures.clear();
        LayoutSummary s = l.summary();
        long data = l.bytesOf(HostClusterRole.DATA) + l.bytesOf(HostClusterRole.COMPRESSED);
        layoutFigures.add(new FactRow(GUEST_DATA_STORED, Sizes.bytes(data), "data and compressed clusters"));
        long holes = holeBytes(data, diskUsage);
        if (holes > 0) {
            layoutFigures.add(new FactRow(DATA_IN_HOLES, "at least " + Sizes.bytes(holes),
                    "allocated clusters the host file does not store (preallocated): they read as zeros"));
        }
        layoutFigures.add(new FactRow(METADATA, Sizes.bytes(s.metadataBytes()),
                String.format("header, L1, L2, refcounts, snapshots, bitmaps: %.2f%% overhead",
                        100 * s.metadataOverhead())));
        layoutFigures.add(new FactRow(LEAKED, Sizes.bytes(s.leakedBytes()), "refcount > 0 but nothing refers to them"));
        layoutFigures.add(new FactRow(FREE, Sizes.bytes(l.bytesOf(HostClusterRole.FREE)), "refcount 0"));
        refreshFigures();
    }

    /**
     * Bytes of allocated data clusters that cannot all be stored, since the file's blocks do not even cover the data: a
     * lower bound on the preallocated clusters that are holes in the host file and read as zeros (spec 3.3). Metadata
     * is not counted as stored: tables written sparsely are holes too (the demo's 680 KiB on disk hold its 448 KiB of
     * data and parts of its metadata clusters, and "data + metadata - disk usage" called 280 KiB of its data holes).
     */
    static long holeBytes(long data, long diskUsage) {
        return diskUsage < 0 ? 0 : Math.max(0, data - diskUsage);
    }

    /** Adds the figures of the guest scan (as qemu-img check counts them). */
    public void guestScanned(long allocated, long fragmented, long compressed, long total) {
        guestFigures.clear();
        guestFigures.add(new FactRow(ALLOCATED, allocated + " / " + total,
                String.format("%.2f%%", total == 0 ? 0.0 : 100.0 * allocated / total)));
        guestFigures.add(new FactRow(FRAGMENTED, String.valueOf(fragmented),
                String.format("%.2f%% of allocated", allocated == 0 ? 0.0 : 100.0 * fragmented / allocated)));
        guestFigures.add(new FactRow(COMPRESSED, String.valueOf(compressed),
                String.format("%.2f%% of allocated", allocated == 0 ? 0.0 : 100.0 * compressed / allocated)));
        refreshFigures();
    }

    /**
     * The base figures, the guest scan's, then the layout scan's; the guest data stored (and the data in holes) right
     * after the disk usage, to be read beside it (at 1600x1000 they were below the table's fold).
     */
    private void refreshFigures() {
        List<FactRow> all = new ArrayList<>(baseFigures);
        all.addAll(guestFigures);
        List<FactRow> stored = layoutFigures.stream()
                .filter(f -> f.name().equals(GUEST_DATA_STORED) || f.name().equals(DATA_IN_HOLES)).toList();
        int at = 0;
        while (at < all.size() && !all.get(at).name().equals(DISK_USAGE)) {
            at++;
        }
        all.addAll(Math.min(all.size(), at + 1), stored);
        layoutFigures.stream().filter(f -> !stored.contains(f)).forEach(all::add);
        Rows.update(figures, all);
    }
}

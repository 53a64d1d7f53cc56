package io.qcowscope.app.ui.viewmodel.teach;

import io.qcowscope.app.ui.viewmodel.BitmapTableRow;
import io.qcowscope.app.ui.viewmodel.FactRow;
import io.qcowscope.app.ui.viewmodel.HostLayoutSource;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.app.ui.viewmodel.OverviewViewModel;
import io.qcowscope.app.ui.viewmodel.RoleLabels;
import io.qcowscope.app.ui.viewmodel.SelectionModel;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.SnapshotsViewModel;
import io.qcowscope.app.ui.viewmodel.TablesViewModel;
import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.format.HeaderField;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.host.HostClusterRole;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Explain panel: explains whatever was selected last (a header field or feature bit in the overview, an L1 or L2 entry in
 * the tables or the guest map, a host cluster in the host map or the refcounts, a snapshot) as sections of generic teaching
 * text with what it means for this image. Everything it reads is in memory already (the decoded entry, the header, the host
 * layout), so it runs on the UI thread without engine I/O.
 */
public final class ExplainViewModel {
    /** Which view made the latest selection. */
    private enum Source {
        NONE, TABLES, HOST, HEADER_FIELD, FEATURE, SNAPSHOT, BITMAP
    }

    private final SelectionModel selection;
    private final TablesViewModel tables;
    private final OverviewViewModel overview;
    private final SnapshotsViewModel snapshots;
    private final ObservableList<Explanation> sections = FXCollections.observableArrayList();
    /** One read-only view, kept: a view made per call drops its (weak) listeners when collected. */
    private final ObservableList<Explanation> sectionsRo = FXCollections.unmodifiableObservableList(sections);
    private final ReadOnlyStringWrapper heading = new ReadOnlyStringWrapper(this, "heading", "");
    private ImageSession session;
    private Source last = Source.NONE;

    public ExplainViewModel(SelectionModel selection, TablesViewModel tables, OverviewViewModel overview,
            SnapshotsViewModel snapshots) {
        this.selection = selection;
        this.tables = tables;
        this.overview = overview;
        this.snapshots = snapshots;
        tables.decodedProperty().addListener((o, a, b) -> update(Source.TABLES));
        selection.hostClusterProperty().addListener((o, a, b) -> update(Source.HOST));
        selection.guestClusterProperty().addListener((o, a, b) -> update(Source.HOST));
        overview.selectedHeaderFieldProperty().addListener((o, a, b) -> update(Source.HEADER_FIELD));
        overview.selectedFeatureProperty().addListener((o, a, b) -> update(Source.FEATURE));
        snapshots.selectedProperty().addListener((o, a, b) -> update(Source.SNAPSHOT));
        snapshots.selectedBitmapProperty().addListener((o, a, b) -> update(Source.BITMAP));
        snapshots.selectedBitmapEntryProperty().addListener((o, a, b) -> update(Source.BITMAP));
        snapshots.bitmapTable().addListener((javafx.collections.ListChangeListener<BitmapTableRow>) c -> {
            if (last == Source.BITMAP) {
                rebuild();
            }
        });
    }

    public void setSession(ImageSession s) {
        session = s;
        last = Source.NONE;
        rebuild();
    }

    /** The host layout scan finished: refcounts and roles are known now. */
    public void layoutScanned() {
        rebuild();
    }

    private void update(Source s) {
        last = s;
        rebuild();
    }

    private void rebuild() {
        List<Explanation> out = new ArrayList<>();
        String title = "";
        if (session != null) {
            ImageFacts facts = new ImageFacts(session);
            switch (last) {
                case TABLES, HOST -> title = entryOrCluster(facts, out);
                case HEADER_FIELD -> title = headerField(facts, out);
                case FEATURE -> title = feature(facts, out);
                case SNAPSHOT -> title = snapshot(facts, out);
                case BITMAP -> title = bitmap(out);
                default -> {
                }
            }
        }
        if (out.isEmpty()) {
            title = session == null ? "No image open" : "Select something to explain it";
            out.add(Explanation.of(Concept.topic(Topic.GUEST_OFFSET), session == null ? ""
                    : "Click a cluster in a map, an entry in the L1 / L2 tables, a header field, a feature bit, a "
                    + "snapshot or a bitmap; or walk a guest read step by step in the Read tab."));
        }
        heading.set(title);
        sections.setAll(out);
    }

    private String entryOrCluster(ImageFacts f, List<Explanation> out) {
        long host = selection.hostClusterProperty().get();
        TablesViewModel.Decoded d = tables.decodedProperty().get();
        boolean guest = selection.guestClusterProperty().get() >= 0;
        if (last == Source.HOST && !guest && host >= 0) {
            f.hostCluster(host, out);
            return "host cluster " + host;
        }
        if (d == null) {
            return "";
        }
        int l1 = tables.selectedL1Property().get();
        int l2 = tables.selectedL2Property().get();
        boolean snapshotTable = tables.l1SourceProperty().get() != 0;
        if (l2 >= 0) {
            f.l2Entry(l1, l2, d.word0(), d.bitmap(), snapshotTable, out);
            return d.title();
        }
        if (l1 >= 0) {
            f.l1Entry(l1, d.word0(), snapshotTable, out);
            return d.title();
        }
        return "";
    }

    private String headerField(ImageFacts f, List<Explanation> out) {
        HeaderField h = overview.selectedHeaderFieldProperty().get();
        if (h == null) {
            return "";
        }
        f.headerField(h, out);
        return "header field " + h.name();
    }

    private String feature(ImageFacts f, List<Explanation> out) {
        FactRow row = overview.selectedFeatureProperty().get();
        FeatureBit bit = row == null ? null : OverviewViewModel.featureOf(row);
        if (bit == null) {
            return "";
        }
        f.feature(bit, out);
        return "feature bit: " + bit.qemuName();
    }

    private String snapshot(ImageFacts f, List<Explanation> out) {
        int i = snapshots.selectedProperty().get();
        List<SnapshotEntry> all = session.image().snapshots();
        if (i < 0 || i >= all.size()) {
            return "";
        }
        SnapshotEntry e = all.get(i);
        out.add(Explanation.of(Concept.topic(Topic.SNAPSHOT), "Snapshot " + e.id() + " '" + e.name() + "' keeps its own L1 "
                + "table of " + e.l1Size() + " entries at " + Sizes.hex(e.l1TableOffset()) + "; its entry in the snapshot "
                + "table is at " + Sizes.hex(e.offset()) + " (" + e.length() + " bytes with padding)."
                + (e.vmStateSize() > 0 ? " It also saved " + Sizes.bytes(e.vmStateSize()) + " of VM state."
                        : " It saved no VM state (a disk-only snapshot, as qemu-img makes).")
                + " Data clusters it shares with the active disk have a refcount of 2 or more, and their active L2 "
                + "entries have COPIED clear: the next guest write to them copies them first."));
        HostLayoutSource layout = session.layout();
        if (layout != null) {
            f.role(HostClusterRole.SNAPSHOT_L1, e.l1TableOffset() >>> session.image().geometry().clusterBits(), out);
        }
        return "snapshot " + e.id() + " '" + e.name() + "'";
    }

    private String bitmap(List<Explanation> out) {
        int i = snapshots.selectedBitmapProperty().get();
        List<BitmapDirectoryEntry> all = snapshots.bitmaps();
        if (i < 0 || i >= all.size()) {
            return "";
        }
        BitmapDirectoryEntry b = all.get(i);
        var geo = session.image().geometry();
        long bitsPerCluster = geo.clusterSize() * 8;
        long covers = b.tableSize() * bitsPerCluster * b.granularity();
        out.add(Explanation.of(Concept.topic(Topic.BITMAP), "Bitmap '" + b.name() + "' has one bit per "
                + Sizes.bytes(b.granularity()) + " of guest disk (granularity_bits " + b.granularityBits() + "), so the "
                + Sizes.bytes(session.image().virtualSize()) + " disk needs "
                + Plural.of(ceilDiv(session.image().virtualSize(), b.granularity()), "bit") + "; a cluster of bitmap data "
                + "holds " + bitsPerCluster + " bits and covers " + Sizes.bytes(bitsPerCluster * b.granularity())
                + ". " + (b.inUse() ? "Its in_use flag is set: QEMU had it open for writing and did not store it "
                        + "cleanly, so its bits cannot be trusted (qemu-img check reports it)."
                        : "Its in_use flag is clear: it was stored cleanly and its bits can be trusted.")
                + (b.auto() ? " Its auto flag is set: QEMU enables it when the image opens and tracks writes into it."
                        : " Its auto flag is clear: it is kept, but not updated by writes, until enabled.")));
        out.add(Explanation.of(Concept.role(HostClusterRole.BITMAP_DIRECTORY), "Its directory entry is at "
                + Sizes.hex(b.offset()) + ": table_offset " + Sizes.hex(b.tableOffset()) + ", table_size "
                + b.tableSize() + ", flags 0x" + Integer.toHexString(b.flags()) + ", name '" + b.name() + "'."));
        List<BitmapTableRow> rows = snapshots.bitmapTable();
        StringBuilder t = new StringBuilder("Its table at " + Sizes.hex(b.tableOffset()) + " has "
                + Plural.of(b.tableSize(), "entry", "entries") + ", together covering " + Sizes.bytes(covers) + ".");
        if (!rows.isEmpty()) {
            long data = rows.stream().filter(r -> r.entry().dataOffset() != 0).count();
            long ones = rows.stream().filter(r -> r.entry().allOnes()).count();
            long zeros = rows.stream().filter(r -> r.entry().dataOffset() == 0 && !r.entry().allOnes()).count();
            List<String> parts = new ArrayList<>();
            if (data > 0) {
                parts.add(Plural.of(data, "entry points", "entries point") + " to a cluster of bits");
            }
            if (ones > 0) {
                parts.add(Plural.of(ones, "entry says", "entries say") + " all ones without a cluster");
            }
            if (zeros > 0) {
                parts.add(Plural.of(zeros, "entry says", "entries say") + " all zeros without a cluster");
            }
            t.append(" ").append(String.join("; ", parts)).append(".");
            if (zeros > 0) {
                t.append(" A range no write has touched costs no data cluster at all.");
            }
        }
        out.add(Explanation.of(Concept.role(HostClusterRole.BITMAP_TABLE), t.toString()));
        int e = snapshots.selectedBitmapEntryProperty().get();
        if (e >= 0 && e < rows.size()) {
            BitmapTableRow r = rows.get(e);
            out.add(Explanation.of(Concept.role(HostClusterRole.BITMAP_DATA), "Entry " + r.index() + " covers guest "
                    + Sizes.hex(r.guestStart()) + " to " + Sizes.hex(r.guestStart() + r.guestBytes()) + ": "
                    + r.meaning() + "."));
            return "bitmap '" + b.name() + "', table entry " + e;
        }
        return "bitmap '" + b.name() + "'";
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The sections explaining the current selection. */
    public ObservableList<Explanation> sections() {
        return sectionsRo;
    }

    /** What is explained, in a few words. */
    public ReadOnlyStringProperty headingProperty() {
        return heading.getReadOnlyProperty();
    }

    static String roleLabel(HostClusterRole r) {
        return RoleLabels.of(r);
    }
}

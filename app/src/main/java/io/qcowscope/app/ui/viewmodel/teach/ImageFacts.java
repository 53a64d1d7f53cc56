package io.qcowscope.app.ui.viewmodel.teach;

import io.qcowscope.app.ui.viewmodel.HostLayoutSource;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.app.ui.viewmodel.RoleLabels;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.FeatureWord;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.HeaderField;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.Qcow2Image;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The "in this image" sentences of the Explain panel, computed from the open image's header, tables and host layout. */
final class ImageFacts {
    private final Qcow2Image img;
    private final Geometry geo;
    private final HostLayoutSource layout;

    ImageFacts(ImageSession s) {
        this.img = s.image();
        this.geo = img.geometry();
        this.layout = s.layout();
    }

    // ---- tables ----

    void l1Entry(int index, long raw, boolean snapshotTable, List<Explanation> out) {
        long l2 = L1Entry.l2Offset(raw);
        long span = geo.bytesPerL1Entry();
        String range = "guest " + Sizes.hex(index * span) + " to " + Sizes.hex(Math.min((index + 1) * span,
                img.virtualSize())) + " (" + Sizes.bytes(span) + " per entry: " + geo.l2Entries() + " L2 entries of "
                + Sizes.bytes(geo.clusterSize()) + ")";
        StringBuilder s = new StringBuilder("L1[" + index + "] covers " + range + ". ");
        if (l2 == 0) {
            s.append("It is 0: no L2 table, so this whole range is unallocated in this image")
                    .append(img.backingFileName() != null ? " and reads from the backing file." : " and reads as zeros.");
        } else {
            s.append("Its L2 table is at ").append(Sizes.hex(l2)).append(" (host cluster ").append(l2 >>> geo.clusterBits())
                    .append("). ").append(copiedSentence(L1Entry.copied(raw), l2 >>> geo.clusterBits(), "L2 table",
                            snapshotTable, "the table is updated in place", "an update first copies the table"));
        }
        out.add(Explanation.of(Concept.topic(Topic.L1_ENTRY), s.toString()));
    }

    void l2Entry(int l1, int index, long word0, long bitmap, boolean snapshotTable, List<Explanation> out) {
        boolean ext = geo.extendedL2();
        boolean dataFile = img.hasDataFile();
        ClusterType type = L2Entry.clusterType(word0, ext, dataFile);
        long guest = ((long) l1 * geo.l2Entries() + index) << geo.clusterBits();
        StringBuilder s = new StringBuilder("This entry maps guest cluster " + (guest >>> geo.clusterBits()) + " (guest "
                + Sizes.hex(guest) + ")" + (snapshotTable ? " in a snapshot's table" : "") + "; its type is "
                + type.name() + ". ");
        long host = -1;
        switch (type) {
            case COMPRESSED -> s.append("Bit 62 is set: the cluster is stored compressed (see the descriptor below).");
            case ZERO_PLAIN -> s.append(ext ? "" : "Bit 0 is set and there is no offset: it reads as zeros without a host "
                    + "cluster.");
            case UNALLOCATED -> s.append("The offset is 0: nothing is stored, a read goes to ")
                    .append(img.backingFileName() != null ? "the backing file '" + img.backingFileName() + "'."
                            : "zeros (there is no backing file).");
            default -> {
                host = L2Entry.hostOffset(word0) >>> geo.clusterBits();
                s.append("The data is at host offset ").append(Sizes.hex(L2Entry.hostOffset(word0)))
                        .append(dataFile ? " of the external data file. " : " (host cluster " + host + "). ");
                if (!dataFile) {
                    s.append(copiedSentence(L2Entry.copied(word0), host, "cluster", snapshotTable,
                            "a write here goes in place", "a write here first copies the cluster to a new one"));
                }
            }
        }
        out.add(Explanation.of(Concept.topic(ext ? Topic.L2_ENTRY_EXTENDED : Topic.L2_ENTRY_STANDARD), s.toString()));
        subclusters(word0, bitmap, out);
        if (type == ClusterType.COMPRESSED) {
            CompressedDescriptor d = CompressedDescriptor.decode(word0, geo.clusterBits());
            long first = d.firstCluster(geo.clusterBits()) >>> geo.clusterBits();
            long lastC = d.lastCluster(geo.clusterBits()) >>> geo.clusterBits();
            out.add(Explanation.of(Concept.topic(Topic.COMPRESSED_DESCRIPTOR), "The stream starts at byte "
                    + Sizes.hex(d.hostOffset()) + " and the entry counts " + Plural.of(d.sectors(), "sector")
                    + ", so " + Plural.of(d.compressedSize(), "byte") + " are read (host cluster" + (first == lastC
                            ? " " + first : "s " + first + " to " + lastC) + ") and inflated with "
                    + img.header().compressionType().name().toLowerCase() + " into " + Sizes.bytes(geo.clusterSize())
                    + "."));
            host = first;
        }
        if (host >= 0 && !dataFile) {
            role(layout == null ? null : layout.role(host), host, out);
        }
    }

    /** One section per subcluster state this entry has, with the subclusters in that state. */
    private void subclusters(long word0, long bitmap, List<Explanation> out) {
        boolean ext = geo.extendedL2();
        Map<SubclusterType, List<Integer>> by = new EnumMap<>(SubclusterType.class);
        int n = ext ? geo.subclustersPerCluster() : 1;
        for (int i = 0; i < n; i++) {
            by.computeIfAbsent(L2Entry.subclusterType(word0, bitmap, i, ext, img.hasDataFile()), k -> new ArrayList<>())
                    .add(i);
        }
        for (Map.Entry<SubclusterType, List<Integer>> e : by.entrySet()) {
            String which;
            if (!ext) {
                which = "Without extended L2 the whole cluster is one subcluster: it is " + e.getKey().name() + ".";
            } else if (e.getKey() == SubclusterType.INVALID) {
                which = "The bitmap " + Sizes.hex(bitmap) + " is not a valid combination for this descriptor, so QEMU "
                        + "refuses every access to the cluster (all 32 subclusters).";
            } else if (e.getKey() == SubclusterType.COMPRESSED) {
                which = "A compressed cluster has no subclusters: the whole cluster is one compressed stream"
                        + (bitmap != 0 ? "; its bitmap should be 0 but is " + Sizes.hex(bitmap) + " (qemu-img check "
                        + "reports it)." : ".");
            } else {
                which = Plural.of(e.getValue().size(), "subcluster") + " of " + Sizes.bytes(geo.subclusterSize())
                        + " are " + e.getKey().name() + ": " + ranges(e.getValue()) + " (allocation bits "
                        + "0-31, zero bits 32-63 of " + Sizes.hex(bitmap) + ").";
            }
            out.add(Explanation.of(Concept.subcluster(e.getKey()), which));
        }
    }

    private static String ranges(List<Integer> idx) {
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (i < idx.size()) {
            int j = i;
            while (j + 1 < idx.size() && idx.get(j + 1) == idx.get(j) + 1) {
                j++;
            }
            s.append(s.length() == 0 ? "" : ", ").append(idx.get(i)).append(j > i ? "-" + idx.get(j) : "");
            i = j + 1;
        }
        return s.toString();
    }

    /** Why the COPIED bit is what it is, from the refcount of {@code cluster} (spec 4.2). */
    private String copiedSentence(boolean copied, long cluster, String what, boolean snapshotTable, String inPlace,
            String copies) {
        if (snapshotTable) {
            return "COPIED is " + (copied ? "set" : "clear") + ", but only the active tables keep it accurate (spec 4.2).";
        }
        if (layout == null) {
            return "COPIED is " + (copied ? "set: " + inPlace : "clear: " + copies) + " (the refcount is known once the "
                    + "layout scan finishes).";
        }
        long rc = layout.storedRefcount(cluster);
        if (copied && rc == 1) {
            return "This entry is COPIED because the " + what + "'s refcount is exactly 1; " + inPlace + ".";
        }
        if (!copied && rc > 1) {
            return "COPIED is clear because the " + what + " is shared (refcount " + rc + "); " + copies + ".";
        }
        return "COPIED is " + (copied ? "set" : "clear") + " but the " + what + "'s refcount is " + rc
                + ": that breaks the rule COPIED == (refcount == 1), and qemu-img check reports it (spec 4.2). QEMU trusts "
                + "the bit: " + (copied ? inPlace : copies) + ".";
    }

    // ---- host clusters ----

    void hostCluster(long cluster, List<Explanation> out) {
        role(layout == null ? null : layout.role(cluster), cluster, out);
    }

    void role(HostClusterRole role, long cluster, List<Explanation> out) {
        if (role == null) {
            out.add(Explanation.of(Concept.topic(Topic.REFCOUNT_BLOCK), "Host cluster " + cluster + " at "
                    + Sizes.hex(cluster << geo.clusterBits()) + ": its role and refcount are known once the layout scan "
                    + "finishes."));
            return;
        }
        long rc = layout.storedRefcount(cluster);
        long found = layout.referencesFound(cluster);
        long block = cluster >>> geo.refblockBits();
        long entry = cluster & (geo.refblockEntries() - 1);
        String s = "Host cluster " + cluster + " at " + Sizes.hex(cluster << geo.clusterBits()) + " is "
                + RoleLabels.of(role) + " (" + layout.describeOwner(cluster) + "). Its refcount, entry " + entry
                + " of the refcount block of reftable[" + block + "], is " + rc + "; the tables reference it "
                + Plural.of(found, "time") + (rc == found ? "." : ": they disagree, and qemu-img check reports it.");
        out.add(Explanation.of(Concept.role(role), s));
        if (role == HostClusterRole.REFCOUNT_BLOCK || role == HostClusterRole.REFCOUNT_TABLE) {
            out.add(Explanation.of(Concept.topic(Topic.REFCOUNT_BLOCK), "Each refcount block of this image holds "
                    + geo.refblockEntries() + " refcounts, so it covers " + Sizes.bytes(geo.refblockEntries()
                            * geo.clusterSize()) + " of the file."));
            refcountWidth(out);
        } else if (role == HostClusterRole.BITMAP_DATA || role == HostClusterRole.BITMAP_TABLE
                || role == HostClusterRole.BITMAP_DIRECTORY) {
            out.add(Explanation.of(Concept.topic(Topic.BITMAP), "The bitmaps feature bit (autoclear bit 0) is "
                    + (img.header().has(FeatureBit.BITMAPS) ? "set: QEMU trusts the bitmaps." : "clear: QEMU ignores "
                            + "the bitmaps and drops the extension on its next header write.")));
        } else if (role == HostClusterRole.SNAPSHOT_L1 || role == HostClusterRole.SNAPSHOT_TABLE) {
            out.add(Explanation.of(Concept.topic(Topic.SNAPSHOT), "This image has "
                    + Plural.of(img.snapshots().size(), "internal snapshot") + "."));
        }
    }

    private void refcountWidth(List<Explanation> out) {
        int bits = geo.refcountBits();
        out.add(Explanation.of(Concept.topic(Topic.REFCOUNT_WIDTH), "This image has " + bits + "-bit refcounts "
                + "(refcount_order " + geo.refcountOrder() + "): at most " + (bits == 64 ? "2^64 - 1"
                        : String.valueOf(geo.refcountMax())) + " references to one cluster, " + geo.refblockEntries()
                + " refcounts per block."));
    }

    // ---- header ----

    void headerField(HeaderField f, List<Explanation> out) {
        Qcow2Header h = img.header();
        StringBuilder s = new StringBuilder("Here " + f.name() + " = " + f.value() + " (" + f.meaning() + "), "
                + Plural.of(f.length(), "byte") + " at byte " + f.offset() + " of the header. ");
        switch (f.name()) {
            case "cluster_bits" -> s.append("So a cluster is ").append(Sizes.bytes(geo.clusterSize())).append(", an L2 ")
                    .append("table holds ").append(geo.l2Entries()).append(" entries and one L1 entry covers ")
                    .append(Sizes.bytes(geo.bytesPerL1Entry())).append(" of guest disk")
                    .append(geo.extendedL2() ? "; subclusters are " + Sizes.bytes(geo.subclusterSize()) + "." : ".");
            case "size" -> s.append("It needs ").append(geo.l1EntriesFor(img.virtualSize())).append(" L1 entries; ")
                    .append("the table has ").append(img.l1Size()).append(".");
            case "version" -> s.append(h.version() == 2 ? "Version 2: no zero clusters, no feature bits, 16-bit "
                    + "refcounts." : "Version 3: zero clusters and feature bits are available.");
            default -> {
            }
        }
        out.add(Explanation.of(Concept.headerField(f.name()), s.toString()));
        FeatureWord word = switch (f.name()) {
            case "incompatible_features" -> FeatureWord.INCOMPATIBLE;
            case "compatible_features" -> FeatureWord.COMPATIBLE;
            case "autoclear_features" -> FeatureWord.AUTOCLEAR;
            default -> null;
        };
        if (word != null) {
            for (FeatureBit b : FeatureBit.values()) {
                if (b.word() == word && h.has(b)) {
                    feature(b, out);
                }
            }
        }
        if (f.name().equals("refcount_order")) {
            refcountWidth(out);
        }
    }

    void feature(FeatureBit b, List<Explanation> out) {
        boolean set = img.header().has(b);
        String s = "In this image the bit is " + (set ? "set" : "clear") + ".";
        if (b == FeatureBit.EXTENDED_L2 && set) {
            s += " Each cluster of " + Sizes.bytes(geo.clusterSize()) + " has 32 subclusters of "
                    + Sizes.bytes(geo.subclusterSize()) + ", and an L2 table " + geo.l2Entries() + " entries of 16 bytes.";
        } else if (b == FeatureBit.EXTERNAL_DATA_FILE && set) {
            s += " The data file is '" + img.dataFileName() + "'.";
        } else if (b == FeatureBit.COMPRESSION_TYPE) {
            s += " Compressed clusters use " + img.header().compressionType().name().toLowerCase() + ".";
        }
        out.add(Explanation.of(Concept.feature(b), s));
    }
}

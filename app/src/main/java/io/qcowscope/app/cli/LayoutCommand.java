package io.qcowscope.app.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.BeyondEndReference;
import io.qcowscope.engine.layout.ClusterOwner;
import io.qcowscope.engine.layout.HostLayout;
import io.qcowscope.engine.layout.LayoutRun;
import io.qcowscope.engine.layout.LayoutSummary;
import io.qcowscope.engine.repair.rescue.OrphanTables;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code qcowscope layout}: who owns every host cluster, as runs {start, length, role, owner} and a summary. */
@Command(name = "layout", mixinStandardHelpOptions = true,
        description = {"Show the role and owner of every host cluster of the image file.",
            "Orphans are listed too: free or leaked clusters whose bytes read as an L2 table or a refcount block that no "
                    + "table points to (e.g. after a damaged L1 entry), with what they would map; repair offers "
                    + "re-linking an orphan L2 table (orphan-relink) or refcount block (orphan-refblock-relink), never "
                    + "by default."})
public final class LayoutCommand implements Callable<Integer> {
    private static final int MAX_OVERLAPS_LISTED = 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--output", defaultValue = "human", description = "human or json")
    OutputFormat output;

    @Parameters(paramLabel = "IMAGE")
    Path image;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        OpenOptions options = OpenOptions.readOnly().withCheckMode(true).withBackingChain(false);
        HostLayout layout;
        List<OrphanTables.Orphan> orphans;
        try (Qcow2Image img = Qcow2Image.open(image, options)) {
            layout = HostLayout.build(img, ProgressMonitor.NONE);
            orphans = OrphanTables.find(img, layout, ProgressMonitor.NONE);
        }
        if (output == OutputFormat.json) {
            writeJson(layout, orphans, image.toString(), out);
        } else {
            writeHuman(layout, out);
            for (OrphanTables.Orphan o : orphans) {
                out.printf("orphan %s at %#x: %d entries, would map %s%n", o.kind(), o.offset(), o.entries(), o.maps());
            }
        }
        out.flush();
        return 0;
    }

    static String roleName(HostClusterRole r) {
        return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static void writeJson(HostLayout layout, List<OrphanTables.Orphan> orphans, String filename, PrintWriter out)
            throws IOException {
        JsonGenerator g = Json.generator(out);
        g.setPrettyPrinter(Json.qemuStyle());
        long cs = layout.clusterSize();
        LayoutSummary s = layout.summary();
        g.writeStartObject();
        g.writeStringField("filename", filename);
        g.writeNumberField("cluster-size", cs);
        g.writeNumberField("file-length", layout.fileLength());
        g.writeNumberField("clusters", layout.clusterCount());
        g.writeObjectFieldStart("summary");
        g.writeObjectFieldStart("bytes-per-role");
        for (Map.Entry<HostClusterRole, Long> e : s.bytesPerRole().entrySet()) {
            g.writeNumberField(roleName(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("metadata-bytes", s.metadataBytes());
        g.writeNumberField("metadata-overhead", s.metadataOverhead());
        g.writeNumberField("leaked-bytes", s.leakedBytes());
        g.writeNumberField("fragmentation", s.fragmentation());
        g.writeNumberField("overlap-clusters", s.overlapClusters());
        g.writeNumberField("beyond-end-references", s.beyondEnd());
        g.writeEndObject();
        g.writeArrayFieldStart("runs");
        for (LayoutRun r : layout.runs()) {
            g.writeStartObject();
            g.writeNumberField("start", r.start() * cs);
            g.writeNumberField("length", r.length() * cs);
            g.writeStringField("role", roleName(r.role()));
            if (r.owner() != Owner.NONE && r.role() != HostClusterRole.OVERLAP) {
                g.writeStringField("owner", Owner.describe(r.role(), r.owner()));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("overlaps");
        int listed = 0;
        for (long c = 0; c < layout.clusterCount() && listed < MAX_OVERLAPS_LISTED; c++) {
            if (layout.role(c) != HostClusterRole.OVERLAP) {
                continue;
            }
            listed++;
            g.writeStartObject();
            g.writeNumberField("offset", c * cs);
            g.writeArrayFieldStart("owners");
            for (ClusterOwner o : layout.owners(c)) {
                g.writeString(roleName(o.role()) + ": " + o.path());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("beyond-end");
        for (BeyondEndReference b : layout.beyondEnd()) {
            g.writeStartObject();
            g.writeNumberField("offset", b.offset());
            g.writeNumberField("length", b.size());
            g.writeStringField("role", roleName(b.role()));
            g.writeStringField("owner", b.path());
            g.writeEndObject();
        }
        g.writeEndArray();
        // Clusters no table points to that read as an L2 table or a refcount block (issue 14).
        g.writeArrayFieldStart("orphans");
        for (OrphanTables.Orphan o : orphans) {
            g.writeStartObject();
            g.writeNumberField("offset", o.offset());
            g.writeStringField("kind", o.kind());
            g.writeNumberField("entries", o.entries());
            g.writeStringField("maps", o.maps());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
        out.println();
    }

    static void writeHuman(HostLayout layout, PrintWriter out) {
        LayoutSummary s = layout.summary();
        long cs = layout.clusterSize();
        out.printf("file length: %d bytes, %d clusters of %d bytes%n", layout.fileLength(), layout.clusterCount(), cs);
        for (Map.Entry<HostClusterRole, Long> e : s.bytesPerRole().entrySet()) {
            out.printf("  %-20s %s (%d bytes)%n", roleName(e.getKey()), Sizes.human(e.getValue()), e.getValue());
        }
        out.printf(Locale.ROOT, "metadata overhead: %.2f%%, leaked: %d bytes, fragmentation: %.2f%%%n",
                s.metadataOverhead() * 100, s.leakedBytes(), s.fragmentation() * 100);
        if (s.overlapClusters() > 0 || s.beyondEnd() > 0) {
            out.printf("overlapping clusters: %d, references past the end of the file: %d%n", s.overlapClusters(),
                    s.beyondEnd());
        }
        out.printf("%n%-18s %-18s %-20s %s%n", "Start", "Length", "Role", "Owner");
        for (LayoutRun r : layout.runs()) {
            String owner = r.owner() == Owner.NONE || r.role() == HostClusterRole.OVERLAP ? "-"
                    : Owner.describe(r.role(), r.owner());
            out.printf("%#-18x %#-18x %-20s %s%n", r.start() * cs, r.length() * cs, roleName(r.role()), owner);
        }
    }
}

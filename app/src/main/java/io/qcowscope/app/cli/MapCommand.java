package io.qcowscope.app.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.GuestExtent;
import io.qcowscope.engine.layout.GuestMapper;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code qcowscope map}: the guest map with qemu-img map's extents, merged the same way (spec 6.1). */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = "Show where every guest range lives, like qemu-img map.")
public final class MapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--output", defaultValue = "human", description = "human or json")
    OutputFormat output;

    @Option(names = "--start-offset", defaultValue = "0", description = "First guest byte to map.")
    long start;

    @Option(names = "--max-length", defaultValue = "-1", description = "Bytes to map (default: to the end).")
    long maxLength;

    @Mixin
    ImageOptions imageOptions;

    @Mixin
    ImagePool pool;

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (!pool.single()) {
            return mapPool(pw, spec.commandLine().getErr());
        }
        Writer out = pw;
        try (Qcow2Image img = imageOptions.open(pool.only())) {
            long end = maxLength < 0 ? img.virtualSize() : Math.min(img.virtualSize(), start + maxLength);
            if (output == OutputFormat.json) {
                writeJson(img, start, end, out);
            } else {
                writeHuman(img, start, end, pw);
            }
        }
        pw.flush();
        return 0;
    }

    /**
     * Many images: one JSON line per image ({@code {"filename": ..., "map": [extents]}}, streamed) or each image's
     * human map under its name, then a summary table; exit 1 if any cannot be mapped.
     */
    private int mapPool(PrintWriter out, PrintWriter err) throws IOException {
        PoolSummary summary = new PoolSummary();
        for (Path p : pool.resolve()) {
            String name = p.toString();
            long[] counts = new long[2]; // extents, data bytes
            boolean started = false;
            try (Qcow2Image img = imageOptions.open(p)) {
                long end = maxLength < 0 ? img.virtualSize() : Math.min(img.virtualSize(), start + maxLength);
                if (output == OutputFormat.json) {
                    started = true;
                    writeJsonLine(img, name, start, end, out, counts);
                } else {
                    out.println("image: " + name);
                    started = true;
                    writeHuman(img, start, end, out, counts);
                    out.println();
                }
            } catch (Exception e) {
                String why = CliErrors.describe(e);
                summary.add(name, 1, "cannot map: " + why);
                err.println(name + ": " + why);
                if (output == OutputFormat.json) {
                    if (started) {
                        out.println();
                    }
                    out.println(Json.line(new JsonObject().put("filename", name).put("error", why)));
                }
                continue;
            }
            summary.add(name, 0, counts[0] + " extents, " + Sizes.human(counts[1]) + " data");
        }
        err.flush();
        if (output == OutputFormat.human) {
            summary.printTable(out, "MAP");
        }
        out.flush();
        return summary.exitCode();
    }

    private static void count(GuestExtent e, long[] counts) {
        counts[0]++;
        if (e.data()) {
            counts[1] += e.length();
        }
    }

    /** One image's map as one compact JSON line, streamed: no list of extents in memory. */
    static void writeJsonLine(Qcow2Image img, String name, long start, long end, PrintWriter out, long[] counts)
            throws IOException {
        JsonGenerator g = Json.generator(out);
        g.writeStartObject();
        g.writeStringField("filename", name);
        g.writeArrayFieldStart("map");
        GuestMapper.map(img, start, end, e -> {
            count(e, counts);
            g.writeStartObject();
            g.writeNumberField("start", e.start());
            g.writeNumberField("length", e.length());
            g.writeNumberField("depth", e.depth());
            g.writeBooleanField("present", e.present());
            g.writeBooleanField("zero", e.zero());
            g.writeBooleanField("data", e.data());
            if (e.hasOffset()) {
                g.writeNumberField("offset", e.offset());
            }
            g.writeEndObject();
        }, ProgressMonitor.NONE);
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
        out.println();
    }

    /** qemu-img's JSON layout: one extent per line inside one array. */
    static void writeJson(Qcow2Image img, long start, long end, Writer out) throws IOException {
        out.write("[");
        boolean[] first = {true};
        GuestMapper.map(img, start, end, e -> {
            if (!first[0]) {
                out.write(",\n");
            }
            first[0] = false;
            out.write(json(e));
        }, ProgressMonitor.NONE);
        out.write("]\n");
    }

    static String json(GuestExtent e) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{ \"start\": ").append(e.start()).append(", \"length\": ").append(e.length())
                .append(", \"depth\": ").append(e.depth()).append(", \"present\": ").append(e.present())
                .append(", \"zero\": ").append(e.zero()).append(", \"data\": ").append(e.data());
        if (e.hasOffset()) {
            sb.append(", \"offset\": ").append(e.offset());
        }
        return sb.append("}").toString();
    }

    /** Human format: the data ranges only, with the file that holds them. */
    static void writeHuman(Qcow2Image img, long start, long end, PrintWriter out) throws IOException {
        writeHuman(img, start, end, out, new long[2]);
    }

    private static void writeHuman(Qcow2Image img, long start, long end, PrintWriter out, long[] counts)
            throws IOException {
        out.printf("%-16s%-16s%-16s%s%n", "Offset", "Length", "Mapped to", "File");
        GuestMapper.map(img, start, end, e -> {
            count(e, counts);
            if (e.data() && e.hasOffset()) {
                out.printf("%#-16x%#-16x%#-16x%s%n", e.start(), e.length(), e.offset(), layerName(img, e.depth()));
            } else if (e.data()) {
                out.printf("%#-16x%#-16x%-16s%s%n", e.start(), e.length(), "(compressed)", layerName(img, e.depth()));
            }
        }, ProgressMonitor.NONE);
    }

    private static String layerName(Qcow2Image img, int depth) {
        io.qcowscope.engine.image.ImageLayer l = img;
        for (int i = 0; i < depth && l != null; i++) {
            l = l.backing();
        }
        return l == null ? "?" : l.filename();
    }

    static Writer stdoutWriter() {
        return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    }
}

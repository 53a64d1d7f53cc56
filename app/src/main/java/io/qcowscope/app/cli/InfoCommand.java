package io.qcowscope.app.cli;

import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.report.InfoReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code qcowscope info}: qemu-img info's facts and keys, plus ours under "qcowscope". */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show what an image is, like qemu-img info.")
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--output", defaultValue = "human", description = "human or json")
    OutputFormat output;

    @Option(names = "--backing-chain", description = "Show every layer of the backing chain.")
    boolean backingChain;

    @Mixin
    ImageOptions imageOptions;

    @Mixin
    ImagePool pool;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!pool.single()) {
            if (backingChain) {
                throw new IllegalArgumentException("--backing-chain takes one image");
            }
            return infoPool(out, spec.commandLine().getErr());
        }
        Path image = pool.only();
        try (Qcow2Image img = Qcow2Image.open(image, backingChain ? imageOptions.openOptions()
                : imageOptions.openOptions().withBackingChain(false))) {
            if (backingChain) {
                List<Map<String, Object>> chain = InfoReport.chain(img);
                if (output == OutputFormat.json) {
                    out.println(Json.qemu(chain));
                } else {
                    for (int i = 0; i < chain.size(); i++) {
                        if (i > 0) {
                            out.println();
                        }
                        printHuman(out, chain.get(i));
                    }
                }
            } else {
                Map<String, Object> info = InfoReport.of(img);
                if (output == OutputFormat.json) {
                    out.println(Json.qemu(info));
                } else {
                    printHuman(out, info);
                }
            }
        }
        out.flush();
        return 0;
    }

    /** Many images: JSON lines (qemu-img's info object per image) or a summary table; exit 1 if any cannot be read. */
    private int infoPool(PrintWriter out, PrintWriter err) throws java.io.IOException {
        PoolSummary summary = new PoolSummary();
        for (Path p : pool.resolve()) {
            String name = p.toString();
            Map<String, Object> info;
            try (Qcow2Image img = Qcow2Image.open(p, imageOptions.openOptions().withBackingChain(false))) {
                info = InfoReport.of(img);
            } catch (Exception e) {
                String why = CliErrors.describe(e);
                summary.add(name, 1, "cannot read: " + why);
                err.println(name + ": " + why);
                if (output == OutputFormat.json) {
                    out.println(Json.line(new JsonObject().put("filename", name).put("error", why)));
                }
                continue;
            }
            summary.add(name, 0, facts(info));
            if (output == OutputFormat.json) {
                out.println(Json.line(info));
            }
        }
        err.flush();
        if (output == OutputFormat.human) {
            summary.printTable(out, "INFO");
        }
        out.flush();
        return summary.exitCode();
    }

    /** One table cell: virtual size, disk size, cluster size and backing file, in qemu-img info's words. */
    static String facts(Map<String, Object> info) {
        StringBuilder sb = new StringBuilder();
        sb.append(Sizes.human(((Number) info.get("virtual-size")).longValue())).append(" virtual, ")
                .append(Sizes.human(((Number) info.get("actual-size")).longValue())).append(" on disk");
        if (info.containsKey("cluster-size")) {
            sb.append(", cluster_size ").append(info.get("cluster-size"));
        }
        if (info.containsKey("backing-filename")) {
            sb.append(", backing file ").append(info.get("backing-filename"));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static void printHuman(PrintWriter out, Map<String, Object> info) {
        out.println("image: " + info.get("filename"));
        out.println("file format: " + info.get("format"));
        long vs = ((Number) info.get("virtual-size")).longValue();
        out.println("virtual size: " + Sizes.human(vs) + " (" + vs + " bytes)");
        out.println("disk size: " + Sizes.human(((Number) info.get("actual-size")).longValue()));
        if (info.containsKey("cluster-size")) {
            out.println("cluster_size: " + info.get("cluster-size"));
        }
        if (info.containsKey("backing-filename")) {
            // qemu-img's dump_human_image_info: the path it opened, when that is not the stored name
            Object stored = info.get("backing-filename");
            Object full = info.get("full-backing-filename");
            out.println("backing file: " + stored + (full == null ? " (cannot determine actual path)"
                    : full.equals(stored) ? "" : " (actual path: " + full + ")"));
        }
        if (info.containsKey("backing-filename-format")) {
            out.println("backing file format: " + info.get("backing-filename-format"));
        }
        List<Map<String, Object>> snaps = (List<Map<String, Object>>) info.get("snapshots");
        if (snaps != null) {
            out.println("Snapshot list:");
            out.printf("%-10s%-17s%8s%20s%13s%11s%n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK", "ICOUNT");
            DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
            for (Map<String, Object> s : snaps) {
                long clock = ((Number) s.get("vm-clock-sec")).longValue();
                out.printf("%-10s%-17s%8s%20s%13s%11s%n", s.get("id"), s.get("name"),
                        Sizes.human(((Number) s.get("vm-state-size")).longValue()),
                        f.format(Instant.ofEpochSecond(((Number) s.get("date-sec")).longValue())),
                        String.format("%02d:%02d:%02d.%03d", clock / 3600, clock / 60 % 60, clock % 60,
                                ((Number) s.get("vm-clock-nsec")).longValue() / 1_000_000),
                        s.containsKey("icount") ? s.get("icount") : "");
            }
        }
        Map<String, Object> fs = (Map<String, Object>) info.get("format-specific");
        if (fs != null) {
            out.println("Format specific information:");
            dump(out, 1, fs.get("data"));
        }
        Object dirty = info.get("dirty-flag");
        if (Boolean.TRUE.equals(dirty)) {
            out.println("dirty flag: set");
        }
    }

    /**
     * qemu-img's dump_qobject (block/qapi.c) for the format-specific data: keys in QDict order with dashes shown as
     * spaces, list items as [i], composite values on the following lines four spaces further in.
     */
    private static void dump(PrintWriter out, int indent, Object value) {
        if (value instanceof JsonObject o) {
            value = o.fields();
        }
        String pad = " ".repeat(indent * 4);
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : QdictOrder.entries(m)) {
                item(out, indent, pad + String.valueOf(e.getKey()).replace('-', ' ') + ":", e.getValue());
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                item(out, indent, pad + "[" + i + "]:", list.get(i));
            }
        }
    }

    private static void item(PrintWriter out, int indent, String label, Object v) {
        if (v instanceof Map<?, ?> || v instanceof List<?> || v instanceof JsonObject) {
            out.println(label);
            dump(out, indent + 1, v);
        } else {
            out.println(label + " " + v);
        }
    }
}

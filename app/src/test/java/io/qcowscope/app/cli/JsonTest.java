package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.report.InfoReport;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming writer prints byte for byte what the databind writer it replaced prints with the same (qemu-img's)
 * layout: values, escapes and nesting; and QEMU's key order is its QDict bucket order.
 */
class JsonTest {
    /** The replaced writer: databind, here with the same qemu-img layout. */
    private static final ObjectMapper DATABIND = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DefaultPrettyPrinter PRINTER = new QemuPrettyPrinter();

    @Test
    void keysComeInQemusQdictOrder() {
        // qemu-img 7.2 check --output=json after a repair prints its keys in exactly this order
        List<String> qemu = List.of("image-end-offset", "total-clusters", "corruptions", "corruptions-fixed",
                "check-errors", "leaks", "leaks-fixed", "allocated-clusters", "filename", "format",
                "fragmented-clusters");
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("filename", "format", "check-errors", "image-end-offset", "corruptions", "leaks",
                "leaks-fixed", "corruptions-fixed", "total-clusters", "allocated-clusters", "fragmented-clusters")) {
            m.put(k, 0);
        }
        m.put(QdictOrder.OURS, 1);
        List<String> ours = QdictOrder.entries(m).stream().map(Map.Entry::getKey).toList();
        assertEquals(qemu, ours.subList(0, qemu.size()));
        assertEquals(QdictOrder.OURS, ours.get(ours.size() - 1));
        assertEquals("{\n    \"a\": [\n    ],\n    \"b\": {\n    }\n}",
                Json.pretty(new JsonObject().put("a", List.of()).put("b", new JsonObject())));
    }

    @TempDir
    Path dir;

    @Test
    void infoTreesOfQemuImagesPrintAsDatabindDid() throws Exception {
        Qemu.requireInstalled();
        Path img = dir.resolve("i.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=16k,extended_l2=on", img.toString(), "64M");
        Qemu.io(dir, img.toString(), "write -P 7 0 1M");
        Qemu.img(dir, "snapshot", "-c", "snap \"one\"", img.toString());
        Qemu.img(dir, "bitmap", "--add", img.toString(), "b0");
        try (Qcow2Image q = Qcow2Image.open(img, OpenOptions.readOnly())) {
            Map<String, Object> info = InfoReport.of(q);
            assertEquals(databind(info), Json.pretty(info));
            assertEquals(DATABIND.writeValueAsString(info).replaceAll("\\s", ""), Json.line(info).replaceAll("\\s", ""));
        }
    }

    @Test
    void scalarsNestingEmptiesAndEscapesPrintAsDatabindDid() throws Exception {
        JsonObject o = new JsonObject().put("int", 7).put("long", Long.MIN_VALUE).put("double", 12.5)
                .put("ratio", 1.0 / 3).put("yes", true).put("none", null).put("text", "tab\t\"q\" \u00e9 \u0001");
        o.putObject("empty-object");
        o.putArray("empty-array");
        List<Object> list = o.putArray("list");
        list.add(new JsonObject().put("k", "v"));
        list.add(List.of(1, 2));
        o.put("enum", OutputFormat.json);
        o.put("int", 8); // a repeated key keeps its place
        assertEquals(databind(plain(o)), Json.pretty(o));
        assertEquals("{\"k\":\"v\"}", Json.line(new JsonObject().put("k", "v")));
        assertThrows(IllegalArgumentException.class, () -> Json.pretty(List.of(new Object())));
    }

    private static String databind(Object tree) throws Exception {
        return DATABIND.writer(PRINTER).writeValueAsString(tree);
    }

    /** The same tree with maps and lists only, which databind serializes without help. */
    private static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            return plain(o.fields());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }
}

package io.qcowscope.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * JSON output through jackson-core's streaming generator only (no databind on the command-line path: it loads hundreds
 * of classes). Trees are {@link Map}s, {@link Iterable}s, {@link JsonObject}s and scalars; {@link #pretty} indents with
 * four spaces like qemu-img's, {@link #line} writes one compact line (JSON lines for many images).
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** qemu-img's layout: four-space indents, {@code "key": value} (no space before the colon). */
    private static final DefaultPrettyPrinter QEMU_STYLE = new QemuPrettyPrinter();

    private Json() {
    }

    public static String pretty(Object tree) {
        return render(tree, true, false);
    }

    /** Indented like {@link #pretty}, with every object's keys in qemu-img's order ({@link QdictOrder}). */
    public static String qemu(Object tree) {
        return render(tree, true, true);
    }

    /** One compact line, no newline. */
    public static String line(Object tree) {
        return render(tree, false, false);
    }

    /** A generator on {@code out} with no pretty printer; the caller sets one, writes, and flushes. */
    static JsonGenerator generator(Writer out) throws IOException {
        return FACTORY.createGenerator(out);
    }

    /** qemu-img's four-space indentation, for a streaming generator. */
    static DefaultPrettyPrinter qemuStyle() {
        return QEMU_STYLE.createInstance();
    }

    private static String render(Object tree, boolean indent, boolean qdictOrder) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            if (indent) {
                g.setPrettyPrinter(qemuStyle());
            }
            write(g, tree, qdictOrder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** Writes one value; enums by name, records are not accepted (build a map), anything unknown is a bug. */
    static void write(JsonGenerator g, Object v) throws IOException {
        write(g, v, false);
    }

    private static void write(JsonGenerator g, Object v, boolean qdictOrder) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof CharSequence s) {
            g.writeString(s.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (v instanceof JsonObject o) {
            write(g, o.fields(), qdictOrder);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : qdictOrder ? QdictOrder.entries(m) : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                // our own additions keep the order we wrote them in
                write(g, e.getValue(), qdictOrder && !QdictOrder.OURS.equals(e.getKey()));
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o, qdictOrder);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }
}

package io.qcowscope.app.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Streams a list of records as JSON (one array) or as human lines, so a 16-million-entry dump needs no list in memory. */
abstract class RecordEmitter implements AutoCloseable {

    abstract void record(Map<String, Object> r) throws IOException;

    @Override
    public abstract void close() throws IOException;

    static RecordEmitter json(PrintWriter out) throws IOException {
        return json(out, false);
    }

    /** With {@code compact}, one record per line and no indentation (big dumps: 131,072 L2 entries per 2 MiB table). */
    static RecordEmitter json(PrintWriter out, boolean compact) throws IOException {
        JsonGenerator g = Json.mapper().getFactory().createGenerator(out);
        g.setPrettyPrinter(compact ? new com.fasterxml.jackson.core.util.MinimalPrettyPrinter() {
            @Override
            public void writeStartArray(JsonGenerator j) throws IOException {
                j.writeRaw("[\n");
            }

            @Override
            public void writeArrayValueSeparator(JsonGenerator j) throws IOException {
                j.writeRaw(",\n");
            }

            @Override
            public void writeEndArray(JsonGenerator j, int values) throws IOException {
                j.writeRaw("\n]");
            }
        } : new com.fasterxml.jackson.core.util.DefaultPrettyPrinter());
        g.writeStartArray();
        return new RecordEmitter() {
            @Override
            void record(Map<String, Object> r) throws IOException {
                Json.mapper().writeValue(g, r);
            }

            @Override
            public void close() throws IOException {
                g.writeEndArray();
                g.flush();
                out.println();
                out.flush();
            }
        };
    }

    static RecordEmitter human(PrintWriter out) {
        return new RecordEmitter() {
            @Override
            void record(Map<String, Object> r) {
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, Object> e : r.entrySet()) {
                    if (e.getValue() instanceof List<?> || e.getValue() instanceof Map<?, ?>) {
                        continue;
                    }
                    if (sb.length() > 0) {
                        sb.append("  ");
                    }
                    sb.append(e.getKey()).append('=').append(e.getValue());
                }
                out.println(sb);
                Object fields = r.get("fields");
                if (fields instanceof List<?> l) {
                    for (Object o : l) {
                        if (o instanceof Map<?, ?> m) {
                            out.printf("    bits %-7s %-22s %s  %s%n", m.get("bits"), m.get("name"), m.get("value"),
                                    m.get("meaning"));
                        }
                    }
                }
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }
}

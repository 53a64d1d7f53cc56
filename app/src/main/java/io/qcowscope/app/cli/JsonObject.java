package io.qcowscope.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An ordered JSON object built field by field (key order is output order, a repeated key keeps its place). */
public final class JsonObject {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public JsonObject put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    public JsonObject putObject(String key) {
        JsonObject o = new JsonObject();
        fields.put(key, o);
        return o;
    }

    public List<Object> putArray(String key) {
        List<Object> list = new ArrayList<>();
        fields.put(key, list);
        return list;
    }

    public Object get(String key) {
        return fields.get(key);
    }

    Map<String, Object> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return Json.line(this);
    }
}

package io.qcowscope.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads JSON in tests (databind is a test dependency only; the command line writes with jackson-core). */
public final class TestJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

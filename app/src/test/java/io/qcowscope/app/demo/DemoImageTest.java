package io.qcowscope.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The engine-made demo shows what it promises, and QEMU reads it as we meant it. */
class DemoImageTest {

    @Test
    void demoHasEverythingWorthSeeingAndOnlyTheIntendedLeak() throws Exception {
        Qemu.requireInstalled();
        Path demo = DemoImage.create();
        Path dir = demo.getParent();
        ObjectMapper json = new ObjectMapper();
        var check = Qemu.imgAllowFail(dir, "check", "--output=json", "demo.qcow2");
        assertEquals(3, check.exitCode(), "only leaks: " + check.stdout() + check.stderr());
        JsonNode c = json.readTree(check.stdout());
        assertEquals(1, c.path("leaks").asInt(), "exactly one leaked cluster");
        assertEquals(1, c.path("compressed-clusters").asInt());
        JsonNode info = json.readTree(Qemu.img(dir, "info", "--output=json", "demo.qcow2").stdout());
        assertEquals("base.qcow2", info.path("backing-filename").asText());
        assertTrue(info.path("format-specific").path("data").path("extended-l2").asBoolean());
        assertEquals(1, info.path("snapshots").size());
        String map = Qemu.img(dir, "map", "--output=json", "demo.qcow2").stdout();
        assertTrue(map.contains("\"depth\": 1"), "some ranges come from the backing file");
        assertTrue(map.contains("\"zero\": true, \"data\": false, \"offset\""), "zeroed subclusters keep their cluster");
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "base.qcow2").exitCode());
    }
}

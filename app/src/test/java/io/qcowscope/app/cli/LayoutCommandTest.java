package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qcowscope.engine.testkit.Qemu;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qcowscope layout --output=json}: runs that tile the file, with roles and owners. */
class LayoutCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsTileTheWholeFile() throws Exception {
        Qemu.requireInstalled();
        Path img = dir.resolve("l.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", img.toString(), "64M");
        Qemu.io(dir, img.toString(), "write 0 128k", "write -c 1M 64k");
        StringWriter out = new StringWriter();
        int exit = QcowscopeCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "layout",
                "--output=json", img.toString());
        assertEquals(0, exit);
        JsonNode j = TestJson.mapper().readTree(out.toString());
        long next = 0;
        List<String> roles = new ArrayList<>();
        for (JsonNode r : j.path("runs")) {
            assertEquals(next, r.path("start").asLong());
            next += r.path("length").asLong();
            roles.add(r.path("role").asText());
        }
        long cs = j.path("cluster-size").asLong();
        assertEquals((Files.size(img) + cs - 1) / cs * cs, next);
        assertEquals(List.of("header", "refcount-table", "refcount-block", "active-l1", "l2-table", "data",
                "compressed"), roles);
        assertEquals("L1[0] -> L2[0]", j.path("runs").get(5).path("owner").asText());
        assertEquals(2 * cs, j.path("summary").path("bytes-per-role").path("data").asLong());
        assertTrue(j.path("summary").path("metadata-overhead").asDouble() > 0);
    }
}

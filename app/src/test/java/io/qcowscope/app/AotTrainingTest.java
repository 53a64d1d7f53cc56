package io.qcowscope.app;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged app's start-up cache is trained by this workload: every command in it must succeed. */
class AotTrainingTest {
    @Test
    void everyTrainingCommandSucceeds(@TempDir Path dir) {
        assertDoesNotThrow(() -> AotTraining.run(dir));
        assertTrue(Files.exists(dir.resolve("plain.qcow2")));
        assertTrue(Files.exists(dir.resolve("extended.qcow2")));
        assertTrue(Files.exists(dir.resolve("prealloc.qcow2")));
    }
}

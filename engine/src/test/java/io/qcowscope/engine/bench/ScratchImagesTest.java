package io.qcowscope.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row images get names of their own and go in batches: all of a full batch at once, the rest on close. */
class ScratchImagesTest {
    @TempDir
    Path dir;

    @Test
    void imagesAreDeletedBatchByBatchAndTheRestOnClose() throws Exception {
        List<Path> made = new ArrayList<>();
        try (ScratchImages s = new ScratchImages(dir, 3)) {
            for (int i = 0; i < 5; i++) {
                Path p = s.next("ours");
                assertFalse(made.contains(p));
                Files.write(p, new byte[]{1});
                made.add(p);
                s.release(p);
                if (i == 2) {
                    assertEquals(0, s.pending());
                    assertTrue(made.stream().noneMatch(Files::exists), "the first batch of three is gone");
                }
            }
            assertEquals(2, s.pending());
            assertTrue(Files.exists(made.get(4)));
        }
        assertTrue(made.stream().noneMatch(Files::exists));
        assertNotEquals(made.get(0), made.get(1));
        assertTrue(made.get(0).getFileName().toString().startsWith("ours-"));
    }

    @Test
    void aReleasedImageThatNeverCameIntoBeingIsNoError() throws Exception {
        try (ScratchImages s = new ScratchImages(dir, 2)) {
            s.release(s.next("ours"));
            s.release(s.next("ours"));
        }
        try (var l = Files.list(dir)) {
            assertEquals(0, l.count());
        }
    }
}

package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Outcomes of a many-image run come back in the listed order, failures in their place, whatever finishes first. */
class PoolRunnerTest {

    @Test
    void handsOutcomesBackInListOrderWithFailuresInPlace() throws Exception {
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            images.add(Path.of("img" + i));
        }
        Random r = new Random(7);
        long[] sleeps = new long[images.size()];
        for (int i = 0; i < sleeps.length; i++) {
            sleeps[i] = r.nextInt(4);
        }
        List<String> got = new ArrayList<>();
        PoolRunner.inOrder(images, p -> {
            int i = Integer.parseInt(p.toString().substring(3));
            Thread.sleep(sleeps[i]);
            if (i % 7 == 3) {
                throw new java.io.IOException("bad " + i);
            }
            return "ok " + i;
        }, (p, outcome, failure) -> got.add(p + ": " + (failure != null ? failure.getMessage() : outcome)));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            expected.add("img" + i + ": " + (i % 7 == 3 ? "bad " + i : "ok " + i));
        }
        assertEquals(expected, got);
    }
}

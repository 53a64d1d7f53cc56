package io.qcowscope.app.ui.viewmodel.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.app.cli.InteropImages;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.layout.GuestExtent;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read stepper against the oracle: on every image of the interop suite, at 50 seeded random guest offsets (half anywhere
 * on the disk, half inside a random extent of qemu-img's map, so that every kind of extent is walked), the walk's final answer
 * (the layer, zeros or data, and the host offset) equals what {@code qemu-img map --output=json} says of that offset, and
 * the steps end where the answer says.
 */
class ReadWalkMatchesQemuMapTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    static Stream<InteropImages.Case> cases() {
        return InteropImages.all().stream().filter(c -> !c.infoOnly());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void finalAnswerEqualsQemuMap(InteropImages.Case c) throws Exception {
        Qemu.requireInstalled();
        Path dir = InteropImages.freshDir(root, c.name());
        Path image = dir.resolve(c.build().build(dir));
        MainViewModel vm = TestImages.open(image);
        // After the window's scans: on ext4, reading a range QEMU zeroed with fallocate (an unwritten extent) puts it in the
        // page cache, and SEEK_DATA reports it as data from then on, for qemu-img as for us. The walks read no data.
        JsonNode map = JSON.readTree(Qemu.img(dir, "map", "--output=json", image.toString()).stdout());
        ReadStepperViewModel stepper = vm.readStepper();
        long size = vm.sessionProperty().get().image().virtualSize();
        Random r = new Random(c.name().hashCode());
        for (int i = 0; i < 50; i++) {
            long offset;
            if (i % 2 == 0) {
                offset = Math.floorMod(r.nextLong(), size);
            } else {
                JsonNode e = map.get(r.nextInt(map.size()));
                offset = e.get("start").asLong() + Math.floorMod(r.nextLong(), e.get("length").asLong());
            }
            JsonNode theirs = extentAt(map, offset);
            stepper.explain(offset);
            GuestExtent ours = stepper.answerProperty().get();
            String where = c.name() + " at guest offset " + offset + " (qemu-img: " + theirs + ")";
            assertNotNull(ours, where + ": " + stepper.messageProperty().get());
            assertEquals(theirs.get("depth").asInt(), ours.depth(), "depth, " + where);
            assertEquals(theirs.get("present").asBoolean(), ours.present(), "present, " + where);
            assertEquals(theirs.get("zero").asBoolean(), ours.zero(), "zero, " + where);
            assertEquals(theirs.get("data").asBoolean(), ours.data(), "data, " + where);
            long theirOffset = theirs.has("offset") ? theirs.get("offset").asLong() + offset - theirs.get("start").asLong()
                    : -1;
            assertEquals(theirOffset, ours.hasOffset() ? ours.offset() : -1, "offset, " + where);
            assertStepsEndWithTheAnswer(stepper.steps(), ours, where);
        }
    }

    /** The last step is the answer; the one before says how the deciding layer answered. */
    private static void assertStepsEndWithTheAnswer(List<ReadStep> steps, GuestExtent a, String where) {
        assertEquals(ReadStep.Kind.GUEST_OFFSET, steps.get(0).kind(), "first step, " + where);
        ReadStep last = steps.get(steps.size() - 1);
        assertEquals(ReadStep.Kind.ANSWER, last.kind(), "last step, " + where);
        assertEquals(a.depth(), last.depth(), "answering layer, " + where);
        ReadStep decided = steps.get(steps.size() - 2);
        assertEquals(a.depth(), decided.depth(), "the step before the answer is in the deciding layer, " + where);
        ReadStep.Kind k = decided.kind();
        if (k == ReadStep.Kind.HOST_OFFSET) {
            assertTrue(a.data() && a.hasOffset(), where);
            assertTrue(decided.title().endsWith(Long.toHexString(a.offset())), decided.title() + ", " + where);
        } else if (k == ReadStep.Kind.ZEROS) {
            assertTrue(a.zero(), "zeros step, " + where);
        } else if (k == ReadStep.Kind.COMPRESSED) {
            assertTrue(a.data(), k + " step, " + where);
        } else if (k == ReadStep.Kind.RAW) {
            assertTrue(a.data() || a.zero(), k + " step, " + where);
        } else {
            throw new AssertionError("unexpected step " + k + " before the answer, " + where);
        }
        for (int i = 0; i < steps.size() - 1; i++) {
            if (steps.get(i).kind() == ReadStep.Kind.BACKING) {
                assertEquals(steps.get(i).depth() + 1, steps.get(i + 1).depth(), "the next layer is walked, " + where);
            }
        }
    }

    private static JsonNode extentAt(JsonNode map, long offset) {
        for (JsonNode e : map) {
            long s = e.get("start").asLong();
            if (offset >= s && offset < s + e.get("length").asLong()) {
                return e;
            }
        }
        throw new AssertionError("qemu-img map has no extent at " + offset);
    }
}

package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check, info and map over several images and a --recursive pool, each image's result compared with qemu-img's. */
class ManyImagesQemuTest {
    @TempDir
    Path dir;

    private Path pool;
    private Path clean;
    private Path leaky;
    private Path snapshotted;
    private Path outside;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    @BeforeEach
    void makePool() throws Exception {
        pool = Files.createDirectory(dir.resolve("pool"));
        Files.createDirectory(pool.resolve("sub"));
        clean = create(pool.resolve("a.qcow2"), "compat=1.1", "write -P 1 0 1M", "write -P 2 8M 64k");
        leaky = create(pool.resolve("sub/b.qcow2"), "compat=1.1", "write -P 1 0 128k");
        ImageBytes b = new ImageBytes(leaky);
        b.u64(b.l2Table(0) + 8, 0); // the second data cluster is still refcounted: one leak
        snapshotted = create(pool.resolve("sub/c.img"), "cluster_size=16k,extended_l2=on", "write -P 3 0 100k");
        Qemu.img(dir, "snapshot", "-c", "s1", snapshotted.toString());
        // Not in the result: a raw file, a file that only looks like one by name, links to an image out of the pool.
        Qemu.img(dir, "create", "-q", "-f", "raw", pool.resolve("raw.img").toString(), "1M");
        Files.writeString(pool.resolve("text.qcow2"), "not an image");
        Path out = Files.createDirectory(dir.resolve("outside"));
        outside = create(out.resolve("x.qcow2"), "compat=1.1");
        Files.createSymbolicLink(pool.resolve("link.qcow2"), outside);
        Files.createSymbolicLink(pool.resolve("linkdir"), out);
    }

    @Test
    void recursiveCheckGivesQemuImgsVerdictPerImageAndTheWorstExit() throws Exception {
        Cli.Run run = Cli.run("check", "--output=json", "--recursive", pool.toString());
        List<JsonNode> lines = jsonLines(run.stdout());
        List<Path> expected = List.of(clean, leaky, snapshotted);
        assertEquals(expected.size(), lines.size(), run.stdout());
        for (int i = 0; i < expected.size(); i++) {
            Qemu.Result q = Qemu.imgAllowFail(dir, "check", "--output=json", expected.get(i).toString());
            ObjectNode ours = (ObjectNode) lines.get(i);
            ours.remove("qcowscope");
            assertEquals(TestJson.mapper().readTree(q.stdout()), ours, expected.get(i).toString());
        }
        assertEquals(3, run.exitCode(), "the worst is the leak's exit 3");
        assertTrue(run.stderr().startsWith(leaky + ": "), run.stderr());
    }

    @Test
    void humanCheckOfManyImagesIsOneSummaryTable() {
        Cli.Run run = Cli.run("check", clean.toString(), leaky.toString());
        String[] rows = run.stdout().split("\n");
        assertEquals(4, rows.length, run.stdout());
        assertEquals(List.of("EXIT", "RESULT", "IMAGE"), List.of(rows[0].split("\\s+")));
        assertEquals(List.of("0", "clean", clean.toString()), List.of(rows[1].split("\\s+")));
        assertEquals("3     1 leaked clusters  " + leaky, rows[2]);
        assertEquals("2 images, 1 with a non-zero status; exit status 3", rows[3]);
        assertEquals(3, run.exitCode());
    }

    @Test
    void unreadableImageIsReportedAndMakesTheRunFail() throws Exception {
        Path missing = pool.resolve("missing.qcow2");
        Cli.Run run = Cli.run("check", "--output=json", leaky.toString(), missing.toString());
        List<JsonNode> lines = jsonLines(run.stdout());
        assertEquals(2, lines.size());
        assertEquals(missing.toString(), lines.get(1).path("filename").asText());
        assertTrue(lines.get(1).path("error").asText().contains("missing.qcow2"), lines.get(1).toString());
        assertEquals(1, run.exitCode(), "an image that cannot be checked is worse than a leak");
        assertEquals(1, Cli.run("info", clean.toString(), missing.toString()).exitCode());
        assertEquals(1, Cli.run("map", missing.toString(), clean.toString()).exitCode());
    }

    @Test
    void infoOfManyImagesIsQemuImgInfoPerLine() throws Exception {
        List<JsonNode> lines = linePerImage(Cli.run("info", "--output=json", clean.toString(), "--recursive",
                pool.resolve("sub").toString()));
        for (int i = 0; i < lines.size(); i++) {
            InteropTest.assertSubset("info " + all().get(i), qemuJson("info", all().get(i)), lines.get(i));
        }
        Cli.Run human = Cli.run("info", clean.toString(), snapshotted.toString());
        assertTrue(human.stdout().contains("64 MiB virtual"), human.stdout());
        assertTrue(human.stdout().endsWith("2 images, 0 with a non-zero status; exit status 0\n"), human.stdout());
    }

    @Test
    void mapOfManyImagesIsQemuImgMapPerLine() throws Exception {
        List<JsonNode> lines = linePerImage(Cli.run("map", "--output=json", "--recursive", pool.toString()));
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(all().get(i).toString(), lines.get(i).path("filename").asText());
            assertEquals(qemuJson("map", all().get(i)), lines.get(i).path("map"), "map of " + all().get(i));
        }
        Cli.Run human = Cli.run("map", clean.toString(), leaky.toString());
        assertTrue(human.stdout().startsWith("image: " + clean + "\nOffset"), human.stdout());
        assertTrue(human.stdout().contains("\n\nimage: " + leaky + "\nOffset"), human.stdout());
        assertTrue(human.stdout().contains("0     4 extents, 1.06 MiB data  " + clean), human.stdout());
    }

    @Test
    void oneImageStaysExactlyQemuShaped() throws Exception {
        Cli.Run run = Cli.run("check", "--output=json", leaky.toString());
        JsonNode ours = TestJson.mapper().readTree(run.stdout());
        assertTrue(run.stdout().startsWith("{\n    \"image-end-offset\""), run.stdout());
        assertTrue(ours.has("qcowscope"));
        assertEquals("No errors were found on the image.\n", Cli.run("check", clean.toString()).stdout().lines()
                .findFirst().orElse("") + "\n");
    }

    @Test
    void repairAndBackingChainTakeOneImage() {
        Cli.Run r = Cli.run("check", "-r", "leaks", clean.toString(), leaky.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("-r repairs one image at a time"), r.stderr());
        assertEquals(1, Cli.run("info", "--backing-chain", "--recursive", pool.toString()).exitCode());
        assertEquals(1, Cli.run("check").exitCode(), "no image at all");
    }

    private Path create(Path img, String options, String... writes) {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", options, img.toString(), "64M");
        if (writes.length > 0) {
            Qemu.io(dir, img.toString(), writes);
        }
        return img;
    }

    /** The pool's three images in path order. */
    private List<Path> all() {
        return List.of(clean, leaky, snapshotted);
    }

    /** A successful run's JSON lines, one per image of {@link #all()}. */
    private List<JsonNode> linePerImage(Cli.Run run) throws Exception {
        assertEquals(0, run.exitCode(), run.stderr());
        List<JsonNode> lines = jsonLines(run.stdout());
        assertEquals(all().size(), lines.size(), run.stdout());
        return lines;
    }

    private JsonNode qemuJson(String command, Path img) throws Exception {
        return TestJson.mapper().readTree(Qemu.img(dir, command, "--output=json", img.toString()).stdout());
    }

    private static List<JsonNode> jsonLines(String stdout) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (!line.isEmpty()) {
                out.add(TestJson.mapper().readTree(line));
            }
        }
        return out;
    }
}

package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code info} and {@code check} print what qemu-img 7.2 prints, character for character: the human text, and the JSON
 * with QEMU's key order and layout. Our own additions, the {@code "qcowscope"} object printed after qemu-img's keys, are
 * cut out before comparing.
 */
class QemuTextIdentityTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void images() {
        Qemu.requireInstalled();
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "plain.qcow2", "64M");
        Qemu.io(dir, "plain.qcow2", "write -P 0x11 0 1M", "write -P 0x22 32M 64k");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "base.qcow2", "8M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "overlay.qcow2", "8M");
        Qemu.io(dir, "overlay.qcow2", "write 0 64k");
        Qemu.img(dir, "snapshot", "-c", "one", "overlay.qcow2");
        Qemu.img(dir, "snapshot", "-c", "two", "overlay.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "bitmaps.qcow2", "4M");
        Qemu.img(dir, "bitmap", "--add", "bitmaps.qcow2", "b1");
        Qemu.img(dir, "bitmap", "--add", "-g", "128k", "bitmaps.qcow2", "b2");
        Qemu.img(dir, "bitmap", "--disable", "bitmaps.qcow2", "b2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "compat=0.10", "v2.qcow2", "1M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on,extended_l2=on,cluster_size=128k",
                "extended.qcow2", "1G");
        Qemu.io(dir, "extended.qcow2", "write -P 0x33 4k 8k");
    }

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (String image : List.of("plain", "overlay", "bitmaps", "v2", "extended")) {
            for (List<String> command : List.of(List.of("info"), List.of("info", "--output=json"),
                    List.of("info", "--backing-chain"), List.of("info", "--backing-chain", "--output=json"),
                    List.of("check"), List.of("check", "--output=json"))) {
                list.add(Arguments.of(image, command));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void sameTextAsQemuImg(String image, List<String> command) {
        String path = dir.resolve(image + ".qcow2").toString();
        List<String> args = new ArrayList<>(command);
        args.add(path);
        var theirs = Qemu.img(dir, args.toArray(String[]::new));
        Cli.Run ours = Cli.run(args.toArray(String[]::new));
        assertEquals(theirs.exitCode(), ours.exitCode(), ours.stderr());
        assertEquals(theirs.stdout().strip(), withoutOurAdditions(ours.stdout()).strip(), String.join(" ", args));
    }

    @ParameterizedTest(name = "check -r {0} --output={1}")
    @MethodSource("repairModes")
    void repairPrintsWhatQemuImgPrints(String mode, String output) throws Exception {
        Path d = Files.createDirectories(dir.resolve("repair-" + mode + "-" + output));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "a.qcow2", "4M");
        Qemu.io(d, "a.qcow2", "write -P 0x11 0 128k");
        // a leak: guest cluster 1's L2 entry cleared
        ImageBytes a = new ImageBytes(d.resolve("a.qcow2"));
        a.u64(a.l2Table(0) + 8, 0);
        Files.copy(d.resolve("a.qcow2"), d.resolve("q.qcow2"));
        Files.copy(d.resolve("a.qcow2"), d.resolve("o.qcow2"));
        var theirs = Qemu.imgAllowFail(d, "check", "-r", mode, "--output=" + output, d.resolve("q.qcow2").toString());
        Cli.Run ours = Cli.run("check", "-r", mode, "--output=" + output, d.resolve("o.qcow2").toString());
        assertEquals(theirs.exitCode(), ours.exitCode(), ours.stderr());
        assertEquals(theirs.stdout().strip().replace("q.qcow2", "X"),
                withoutOurAdditions(ours.stdout()).strip().replace("o.qcow2", "X"));
    }

    static Stream<Arguments> repairModes() {
        return Stream.of(Arguments.of("leaks", "human"), Arguments.of("all", "human"), Arguments.of("all", "json"));
    }

    /** Removes each {@code "qcowscope": {...}} member and the comma before it. */
    static String withoutOurAdditions(String json) {
        List<String> lines = new ArrayList<>(List.of(json.split("\n", -1)));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.strip().startsWith("\"qcowscope\": ")) {
                continue;
            }
            String indent = line.substring(0, line.indexOf('"'));
            int end = i;
            if (line.strip().endsWith("{")) {
                while (!lines.get(end).startsWith(indent + "}")) {
                    end++;
                }
            }
            lines.subList(i, end + 1).clear();
            String before = lines.get(i - 1);
            if (before.endsWith(",")) {
                lines.set(i - 1, before.substring(0, before.length() - 1));
            }
            i--;
        }
        return String.join("\n", lines);
    }
}

package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code qcowscope check -r leaks|all} behaves like {@code qemu-img check -r}: same exit code, the same counters of the
 * re-check and the same {@code corruptions-fixed} / {@code leaks-fixed}, and the same guest content afterwards (spec 9).
 */
class CheckRepairQemuTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long COPIED = 1L << 63;
    private static final String[] KEYS = {"check-errors", "corruptions", "leaks", "corruptions-fixed", "leaks-fixed",
        "image-end-offset", "total-clusters", "allocated-clusters"};

    @TempDir
    static Path root;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    interface Damage {
        void apply(ImageBytes b) throws Exception;
    }

    static Stream<Arguments> cases() {
        Damage leak = b -> b.u64(b.l2Table(0) + 8, 0);
        Damage zero = b -> b.refcount16(5, 0);
        Damage dup = b -> b.u64(b.l2Table(0) + 8, b.u64(b.l2Table(0)));
        Damage copied = b -> {
            b.u64(b.l1Offset(), b.l1(0) & ~COPIED);
            b.u64(b.l2Table(0), b.u64(b.l2Table(0)) & ~COPIED);
        };
        Damage corrupt = b -> b.u64(72, b.u64(72) | 2);
        Damage prealloc = b -> b.u64(b.l2Table(0) + 8, b.u64(b.l2Table(0) + 8) + 0x2001);
        Stream.Builder<Arguments> s = Stream.builder();
        for (String mode : new String[]{"leaks", "all"}) {
            s.add(Arguments.of("leak", mode, leak));
            s.add(Arguments.of("refcount-zero", mode, zero));
            s.add(Arguments.of("duplicate-reference", mode, dup));
            s.add(Arguments.of("copied-bits", mode, copied));
            s.add(Arguments.of("corrupt-bit", mode, corrupt));
            s.add(Arguments.of("unaligned-prealloc", mode, prealloc));
        }
        return s.build();
    }

    @ParameterizedTest(name = "{0} -r {1}")
    @MethodSource("cases")
    void repairsLikeQemu(String name, String mode, Damage damage) throws Exception {
        Path d = Files.createDirectories(root.resolve(name + "-" + mode));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "a.qcow2", "64M");
        Qemu.io(d, "a.qcow2", "write -P 0x11 0 128k");
        damage.apply(new ImageBytes(d.resolve("a.qcow2")));
        Files.copy(d.resolve("a.qcow2"), d.resolve("q.qcow2"));
        Files.copy(d.resolve("a.qcow2"), d.resolve("o.qcow2"));

        var theirs = Qemu.imgAllowFail(d, "check", "-r", mode, "--output=json", "q.qcow2");
        Cli.Run ours = Cli.run("check", "-r", mode, "--output=json", d.resolve("o.qcow2").toString());
        assertEquals(theirs.exitCode(), ours.exitCode(), name + " -r " + mode + ": exit code\n" + theirs.stdout()
                + theirs.stderr() + "\n---\n" + ours.stdout() + ours.stderr());
        if (theirs.exitCode() != 1) {
            JsonNode q = JSON.readTree(theirs.stdout());
            JsonNode o = JSON.readTree(ours.stdout());
            for (String k : KEYS) {
                assertEquals(q.path(k).asLong(), o.path(k).asLong(), name + " -r " + mode + ": " + k);
            }
        }
        int after = Qemu.imgAllowFail(d, "check", "q.qcow2").exitCode();
        assertEquals(after, Qemu.imgAllowFail(d, "check", "o.qcow2").exitCode(), "qemu-img check after both repairs");
        if (after != 2) {
            // With corruption left (an unaligned entry under -r leaks) neither image is readable there.
            assertEquals(0, Qemu.imgAllowFail(d, "compare", "q.qcow2", "o.qcow2").exitCode(), "same guest content");
        }
        assertEquals(Qemu.img(d, "info", "--output=json", "q.qcow2").stdout().contains("\"corrupt\": true"),
                Qemu.img(d, "info", "--output=json", "o.qcow2").stdout().contains("\"corrupt\": true"), "corrupt bit");
    }
}

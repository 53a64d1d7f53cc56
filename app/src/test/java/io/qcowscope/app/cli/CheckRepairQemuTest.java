package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** How an iotest scenario damages {@code a.qcow2} in {@code dir}: pokes, and the qemu-io or qemu-img runs after them. */
    interface Scenario {
        void make(Path dir, ImageBytes b) throws Exception;
    }

    private static Path scenario(String name, String createOptions, Scenario sc) throws Exception {
        Path d = Files.createDirectories(root.resolve(name));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", createOptions, "a.qcow2", "64M");
        sc.make(d, new ImageBytes(d.resolve("a.qcow2")));
        Files.copy(d.resolve("a.qcow2"), d.resolve("q.qcow2"));
        Files.copy(d.resolve("a.qcow2"), d.resolve("o.qcow2"));
        return d;
    }

    private static void qemuIoMayFail(Path d, String... commands) {
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-io"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add("a.qcow2");
        Qemu.run(d, 60, cmd.toArray(new String[0]));
    }

    static Stream<Arguments> iotests() {
        long rt = 0x10000;
        long l2 = 0x40000;
        Stream.Builder<Arguments> s = Stream.builder();
        // 060 "incorrect refcount table offset": the header cluster read as the refcount table (30 corruptions, exit 2)
        s.add(Arguments.of("iotest060IncorrectRefcountTableOffset", "compat=1.1", true, (Scenario) (d, b) ->
                b.u64(48, 0)));
        // 060 "non-fatal and then fatal corruption report": two unaligned L2 entries, a discard, then a read
        s.add(Arguments.of("iotest060NonFatalThenFatal", "compat=1.1", false, (Scenario) (d, b) -> {
            Qemu.io(d, "a.qcow2", "write 0 128k");
            b.u64(l2, 0x8000000000052a00L);
            b.u64(l2 + 8, 0x8000000000062a00L);
            qemuIoMayFail(d, "discard 0 64k", "read 64k 64k");
        }));
        // 060 "discarding a non-covered in-bounds refblock", before the shrink: a refcount block far past the end
        s.add(Arguments.of("iotest060NonCoveredRefblock", "refcount_bits=1", true, (Scenario) (d, b) ->
                b.u64(rt + 8, 0x0000001000000000L)));
        // 108: a refcount block beyond the image end that no file can reach (the growth fails, the rebuild mends it)
        s.add(Arguments.of("iotest108RefblockBeyondImageEnd", "compat=1.1", false, (Scenario) (d, b) ->
                b.u64(rt + 8, 0xffffffffffff0000L)));
        // 060 "L2 reference into L1": the overlap check refuses the COPIED fix; the image is marked corrupt, exit 1
        s.add(Arguments.of("iotest060L2ReferenceIntoL1", "compat=1.1", false, (Scenario) (d, b) -> {
            b.u64(0x30000, 0x8000000000030000L);
            qemuIoMayFail(d, "write -P 0x2a 0 512");
        }));
        // 060 "dirty corrupt image": an unaligned refblock in a dirty image, opened (and so repaired) by qemu-io
        s.add(Arguments.of("iotest060DirtyCorruptImage", "compat=1.1", false, (Scenario) (d, b) -> {
            b.u64(rt, 0x00000000ffff2a00L);
            b.u64(72, 1);
            qemuIoMayFail(d, "close");
        }));
        return s.build();
    }

    /**
     * qemu-iotests scenarios through {@code qemu-img check -r all} and ours on copies: exit code, the re-check's counters,
     * corruptions-fixed and leaks-fixed equal. {@code sameBytes}: the repaired files are byte for byte the same too (the
     * rebuilds that follow a growth of the file place the new structure where QEMU's does, spec 5.5).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("iotests")
    void iotestScenariosRepairLikeQemu(String name, String options, boolean sameBytes, Scenario sc) throws Exception {
        Path d = scenario(name, options, sc);
        var plain = Qemu.imgAllowFail(d, "check", "--output=json", "a.qcow2");
        Cli.Run ourPlain = Cli.run("check", "--output=json", d.resolve("a.qcow2").toString());
        assertEquals(plain.exitCode(), ourPlain.exitCode(), name + ": check exit code\n" + ourPlain.stderr());
        assertEquals(JSON.readTree(plain.stdout()).path("corruptions").asLong(),
                JSON.readTree(ourPlain.stdout()).path("corruptions").asLong(), name + ": corruptions");
        var theirs = Qemu.imgAllowFail(d, "check", "-r", "all", "--output=json", "q.qcow2");
        Cli.Run ours = Cli.run("check", "-r", "all", "--output=json", d.resolve("o.qcow2").toString());
        assertEquals(theirs.exitCode(), ours.exitCode(), name + ": exit code\n" + theirs.stdout() + theirs.stderr()
                + "\n---\n" + ours.stdout() + ours.stderr());
        JsonNode q = JSON.readTree(theirs.exitCode() == 1 ? "{}" : theirs.stdout());
        JsonNode o = JSON.readTree(ours.exitCode() == 1 ? "{}" : ours.stdout());
        for (String k : KEYS) {
            assertEquals(q.path(k).asLong(), o.path(k).asLong(), name + ": " + k + "\n" + theirs.stdout()
                    + "\n---\n" + ours.stdout());
        }
        assertEquals(Qemu.imgAllowFail(d, "check", "q.qcow2").exitCode(),
                Qemu.imgAllowFail(d, "check", "o.qcow2").exitCode(), "qemu-img check after both repairs");
        assertEquals(Qemu.img(d, "info", "--output=json", "q.qcow2").stdout().contains("\"corrupt\": true"),
                Qemu.img(d, "info", "--output=json", "o.qcow2").stdout().contains("\"corrupt\": true"), "corrupt bit");
        if (sameBytes) {
            SameBytes.assertSameBytes(d.resolve("q.qcow2"), d.resolve("o.qcow2"), name);
        }
    }

    static Stream<Arguments> whereWeRepairMore() {
        long rt = 0x10000;
        Stream.Builder<Arguments> s = Stream.builder();
        s.add(Arguments.of("iotest060UnalignedReftableEntry", "compat=1.1", (Scenario) (d, b) -> {
            b.u64(rt, 0x0000000000022a00L);
            qemuIoMayFail(d, "write 0 64k");
        }));
        s.add(Arguments.of("iotest060DiscardWithUnalignedRefblock", "compat=1.1", (Scenario) (d, b) -> {
            Qemu.io(d, "a.qcow2", "write 0 128k");
            b.u64(rt, 0x0000000000002a00L);
            qemuIoMayFail(d, "discard 0 65537");
        }));
        s.add(Arguments.of("iotest060RefblockCoveredByUnalignedRefblock", "refcount_bits=1", (Scenario) (d, b) -> {
            b.u64(rt + 8, 0x0000001000000000L);
            b.u64(rt + 16, 0x0000000000000200L);
            Qemu.imgAllowFail(d, "resize", "--shrink", "a.qcow2", "32M");
        }));
        return s.build();
    }

    /**
     * The documented differences (README, {@code check --help}): where qemu-img check -r all marks the image corrupt and
     * fails (exit 1), ours mends it and the image passes qemu-img check.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("whereWeRepairMore")
    void iotestScenariosWhereQemuFailsAndWeRepair(String name, String options, Scenario sc) throws Exception {
        Path d = scenario(name, options, sc);
        var theirs = Qemu.imgAllowFail(d, "check", "-r", "all", "q.qcow2");
        assertEquals(1, theirs.exitCode(), name + ": qemu-img check -r all fails here\n" + theirs.stderr());
        Cli.Run ours = Cli.run("check", "-r", "all", d.resolve("o.qcow2").toString());
        assertEquals(0, ours.exitCode(), name + "\n" + ours.stdout() + ours.stderr());
        assertEquals(0, Qemu.imgAllowFail(d, "check", "o.qcow2").exitCode(), "qemu-img check after our repair");
    }
}

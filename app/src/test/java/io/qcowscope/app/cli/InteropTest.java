package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 2's interop suite: for every image of {@link InteropImages}, our {@code info} equals qemu-img's on every key qemu-img
 * prints, our {@code map} equals qemu-img's exactly, and our {@code convert -O raw} is byte-identical to qemu-img's.
 */
class InteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    static Stream<InteropImages.Case> cases() {
        return InteropImages.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void infoMapAndConvertAgreeWithQemu(InteropImages.Case c) throws Exception {
        Path dir = InteropImages.freshDir(root, c.name());
        String image = c.build().build(dir);
        String path = dir.resolve(image).toString();

        JsonNode theirsInfo = JSON.readTree(Qemu.img(dir, "info", "--output=json", path).stdout());
        Cli.Run info = Cli.run("info", "--output=json", path);
        assertEquals(0, info.exitCode(), info.stderr());
        assertSubset("info", theirsInfo, JSON.readTree(info.stdout()));

        JsonNode theirsChain = JSON.readTree(Qemu.img(dir, "info", "--output=json", "--backing-chain", path).stdout());
        Cli.Run chain = Cli.run("info", "--output=json", "--backing-chain", path);
        assertEquals(0, chain.exitCode(), chain.stderr());
        assertSubset("info --backing-chain", theirsChain, JSON.readTree(chain.stdout()));

        if (c.infoOnly()) {
            return;
        }
        JsonNode theirsMap = JSON.readTree(Qemu.img(dir, "map", "--output=json", path).stdout());
        Cli.Run map = Cli.run("map", "--output=json", path);
        assertEquals(0, map.exitCode(), map.stderr());
        assertEquals(theirsMap, JSON.readTree(map.stdout()), "map of " + c.name());

        Path theirsRaw = dir.resolve("theirs.raw");
        Path oursRaw = dir.resolve("ours.raw");
        Qemu.img(dir, "convert", "-O", "raw", path, theirsRaw.toString());
        Cli.Run conv = Cli.run("convert", "-O", "raw", path, oursRaw.toString());
        assertEquals(0, conv.exitCode(), conv.stderr());
        assertEquals(Files.size(theirsRaw), Files.size(oursRaw), "raw size");
        assertArrayEquals(sha256(theirsRaw), sha256(oursRaw), "raw content of " + c.name());
    }

    /** Every key qemu-img prints must be in ours with the same value; arrays element by element. */
    static void assertSubset(String where, JsonNode theirs, JsonNode ours) {
        if (theirs.isObject()) {
            assertEquals(true, ours != null && ours.isObject(), where + ": expected an object, got " + ours);
            for (Iterator<Map.Entry<String, JsonNode>> it = theirs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertSubset(where + "." + e.getKey(), e.getValue(), ours.get(e.getKey()));
            }
        } else if (theirs.isArray()) {
            assertEquals(true, ours != null && ours.isArray(), where + ": expected an array, got " + ours);
            assertEquals(theirs.size(), ours.size(), where + ": array length");
            for (int i = 0; i < theirs.size(); i++) {
                assertSubset(where + "[" + i + "]", theirs.get(i), ours.get(i));
            }
        } else {
            assertEquals(theirs, ours, where);
        }
    }

    static byte[] sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}

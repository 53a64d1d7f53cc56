package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.app.cli.InteropImages;
import io.qcowscope.engine.layout.GuestClusterState;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window against the oracle on every interop-suite image (and a 100 GiB metadata-preallocated one): the overview's
 * allocated / fragmented / compressed figures equal {@code qemu-img check}'s, and every guest-map cell says what
 * {@code qemu-img map} says of that cluster (data, zeros, a backing layer, or nothing).
 */
class WindowMatchesQemuTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    static Stream<InteropImages.Case> cases() {
        List<InteropImages.Case> c = new ArrayList<>();
        for (InteropImages.Case k : InteropImages.all()) {
            if (!k.infoOnly()) {
                c.add(k);
            }
        }
        // The image of the bug report: L2 tables interleave with the preallocated data, every cluster a host-file hole.
        c.add(new InteropImages.Case("prealloc-metadata-100g", d -> {
            Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", "preallocation=metadata", "a.qcow2", "100G");
            Qemu.io(d, "a.qcow2", "write -P 0x11 0 100k", "write -P 0x22 50G 64k");
            return "a.qcow2";
        }));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keyFiguresAndGuestMapMatchQemu(InteropImages.Case c) throws Exception {
        Qemu.requireInstalled();
        Path dir = InteropImages.freshDir(root, c.name());
        Path image = dir.resolve(c.build().build(dir));
        MainViewModel vm = TestImages.open(image);
        assertEquals("", vm.errorProperty().get(), "the window opened and scanned " + c.name());

        JsonNode check = JSON.readTree(Qemu.img(dir, "check", "--output=json", image.toString()).stdout());
        assertEquals(check.path("allocated-clusters").asLong() + " / " + check.path("total-clusters").asLong(),
                figure(vm, "allocated clusters"), "allocated clusters of " + c.name());
        assertEquals(String.valueOf(check.path("fragmented-clusters").asLong()), figure(vm, "fragmented clusters"),
                "fragmented clusters of " + c.name());
        assertEquals(String.valueOf(check.path("compressed-clusters").asLong()), figure(vm, "compressed clusters"),
                "compressed clusters of " + c.name());

        JsonNode map = JSON.readTree(Qemu.img(dir, "map", "--output=json", image.toString()).stdout());
        GuestMapViewModel g = vm.guestMap();
        long clusters = g.itemCount();
        long cs = vm.sessionProperty().get().image().geometry().clusterSize();
        byte[] codes = new byte[(int) clusters];
        g.fillCodes(0, codes, 0, codes.length);
        QemuClusters theirs = new QemuClusters(map, cs, clusters);
        int compared = 0;
        for (int i = 0; i < clusters; i++) {
            GuestClusterState ours = GuestClusterState.values()[codes[i]];
            if (ours == GuestClusterState.PARTIAL) {
                continue; // extended L2: subclusters differ inside the cell
            }
            assertEquals(expectedKind(ours), theirs.kind(i), c.name() + ": guest cluster " + i + " ("
                    + ours.label() + ") vs qemu-img map");
            compared++;
        }
        assertTrue(compared > 0, "no cell compared in " + c.name());
    }

    private static String expectedKind(GuestClusterState s) {
        return switch (s) {
            case DATA, COMPRESSED -> "data";
            case ZERO -> "zero";
            case UNALLOCATED -> "absent";
            case BACKING -> "below";
            default -> s.name();
        };
    }

    private static String figure(MainViewModel vm, String name) {
        for (FactRow r : vm.overview().figures()) {
            if (r.name().equals(name)) {
                return r.value();
            }
        }
        throw new AssertionError("no figure '" + name + "' in " + vm.overview().figures());
    }

    /** qemu-img map's extents summarised per guest cluster. */
    private static final class QemuClusters {
        private static final int ABSENT = 1;
        private static final int ZERO = 2;
        private static final int DATA = 4;
        private static final int BELOW = 8;
        private static final int OTHER = 16;
        private final byte[] flags;

        QemuClusters(JsonNode map, long cs, long clusters) {
            flags = new byte[(int) clusters];
            for (JsonNode e : map) {
                long start = e.path("start").asLong();
                long end = start + e.path("length").asLong();
                int f;
                if (!e.path("present").asBoolean()) {
                    f = ABSENT;
                } else if (e.path("depth").asInt() > 0) {
                    f = BELOW;
                } else if (e.path("data").asBoolean() && !e.path("zero").asBoolean()) {
                    f = DATA;
                } else if (e.path("zero").asBoolean()) {
                    f = ZERO;
                } else {
                    f = OTHER;
                }
                for (long c = start / cs; c < clusters && c * cs < end; c++) {
                    flags[(int) c] |= (byte) f;
                }
            }
        }

        /**
         * One cluster: data when it holds data of this image among zeros (a partly written cluster of a preallocated file),
         * below when a backing layer answers part of it and nothing the rest, else what all of it is.
         */
        String kind(int c) {
            int f = flags[c];
            if ((f & DATA) != 0 && (f & ~(DATA | ZERO)) == 0) {
                return "data";
            }
            if ((f & BELOW) != 0 && (f & ~(BELOW | ABSENT)) == 0) {
                return "below";
            }
            return switch (f) {
                case ZERO -> "zero";
                case ABSENT -> "absent";
                case BELOW -> "below";
                default -> "mixed(" + Integer.toBinaryString(f) + ")";
            };
        }
    }
}

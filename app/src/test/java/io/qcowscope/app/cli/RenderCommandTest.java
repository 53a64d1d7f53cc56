package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qcowscope.app.ui.view.Palette;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.layout.GuestClusterState;
import io.qcowscope.engine.testkit.Qemu;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qcowscope render}: the PNG's cells have the colours of the roles {@code layout --output=json} gives (host) and of
 * what {@code qemu-img map} says the guest clusters read as (guest), on a qemu-made image with a snapshot, a compressed
 * cluster, a zero cluster and a leak. The PNG is read back with ImageIO, an independent decoder.
 */
class RenderCommandTest {
    private static final int CS = 65536;
    private static final int CELL = 16;
    private static final int WIDTH = 8 * CELL;

    @TempDir
    Path dir;

    /** Data, a compressed cluster, a snapshot, rewritten clusters after it, a zero cluster; then one L2 entry zeroed. */
    private Path image() throws IOException {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", "r.qcow2", "16M");
        Qemu.io(dir, "r.qcow2", "write -P 0x1 0 512k", "write -c -P 0x2 4M 64k");
        Qemu.img(dir, "snapshot", "-c", "s1", "r.qcow2");
        Qemu.io(dir, "r.qcow2", "write -P 0x3 0 192k", "write -z 2M 64k");
        Path p = dir.resolve("r.qcow2");
        // Guest cluster 1 was rewritten after the snapshot, so its cluster has refcount 1: dropping the entry leaks it.
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(40);
            f.seek(f.readLong());
            long l2 = f.readLong() & 0x00FFFFFFFFFFFE00L;
            f.seek(l2 + 8);
            f.writeLong(0);
        }
        Qemu.Result check = Qemu.imgAllowFail(dir, "check", "--output=json", p.toString());
        assertEquals(3, check.exitCode(), "qemu-img check: only leaks\n" + check.stdout());
        return p;
    }

    /** Runs {@code render KIND IMAGE} WIDTH px wide with {@code cell} px cells, and reads the PNG back. */
    private BufferedImage render(String kind, Path img, int cell, String... more) throws IOException {
        Path png = dir.resolve(kind + ".png");
        List<String> args = new ArrayList<>(List.of("render", kind, img.toString(), "-o",
                png.toString(), "--width", "" + WIDTH, "--cell", "" + cell));
        args.addAll(List.of(more));
        Cli.Run r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        return ImageIO.read(png.toFile());
    }

    /** The colour at the centre of the cell of {@code item}, cells of {@code cell} px in rows of WIDTH px. */
    private static String cellColour(BufferedImage pic, long item, int cell) {
        int cols = WIDTH / cell;
        return Integer.toHexString(pic.getRGB((int) (item % cols) * cell + cell / 2, (int) (item / cols) * cell + cell / 2));
    }

    @Test
    void hostPictureColoursAreTheLayoutRoles() throws Exception {
        Qemu.requireInstalled();
        Path img = image();
        BufferedImage pic = render("host", img, CELL);
        JsonNode layout = Json.mapper().readTree(Cli.run("layout", "--output=json", img.toString()).stdout());
        long clusters = layout.path("clusters").asLong();
        int cols = WIDTH / CELL;
        assertEquals(WIDTH, pic.getWidth());
        assertEquals((clusters + cols - 1) / cols * CELL, pic.getHeight());
        int[] pal = Palette.hostRoles(false);
        Set<HostClusterRole> seen = EnumSet.noneOf(HostClusterRole.class);
        for (JsonNode run : layout.path("runs")) {
            HostClusterRole role = HostClusterRole.valueOf(run.path("role").asText().toUpperCase(Locale.ROOT)
                    .replace('-', '_'));
            seen.add(role);
            for (long c = run.path("start").asLong() / CS; c < (run.path("start").asLong() + run.path("length")
                    .asLong()) / CS; c++) {
                assertEquals(Integer.toHexString(pal[role.ordinal()]), cellColour(pic, c, CELL),
                        "host cluster " + c + " is " + role);
            }
        }
        assertTrue(seen.containsAll(EnumSet.of(HostClusterRole.LEAKED, HostClusterRole.COMPRESSED,
                HostClusterRole.SNAPSHOT_L1, HostClusterRole.SNAPSHOT_L2_TABLE, HostClusterRole.SNAPSHOT_TABLE,
                HostClusterRole.DATA)), seen.toString());
        if (clusters % cols != 0) {
            int after = pic.getRGB(pic.getWidth() - CELL / 2, pic.getHeight() - CELL / 2);
            assertEquals(Integer.toHexString(Palette.lightBackground()), Integer.toHexString(after), "past the file");
        }
    }

    @Test
    void guestPictureColoursAreWhatQemuImgMapSays() throws Exception {
        Qemu.requireInstalled();
        Path img = image();
        BufferedImage pic = render("guest", img, 8, "--dark");
        int[] pal = Palette.guestStates(true);
        Set<GuestClusterState> seen = EnumSet.noneOf(GuestClusterState.class);
        for (JsonNode e : Json.mapper().readTree(Qemu.img(dir, "map", "--output=json", img.toString()).stdout())) {
            GuestClusterState s = !e.path("present").asBoolean() ? GuestClusterState.UNALLOCATED
                    : e.path("zero").asBoolean() ? GuestClusterState.ZERO
                    : e.has("offset") ? GuestClusterState.DATA : GuestClusterState.COMPRESSED;
            seen.add(s);
            for (long g = e.path("start").asLong() / CS; g < (e.path("start").asLong() + e.path("length").asLong())
                    / CS; g++) {
                assertEquals(Integer.toHexString(pal[s.ordinal()]), cellColour(pic, g, 8), "guest cluster " + g);
            }
        }
        assertEquals(EnumSet.of(GuestClusterState.UNALLOCATED, GuestClusterState.ZERO, GuestClusterState.DATA,
                GuestClusterState.COMPRESSED), seen);
    }

    @Test
    void pictureTallerThanAllowedAggregatesClusters() throws Exception {
        Qemu.requireInstalled();
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "big.qcow2", "64G");
        Path png = dir.resolve("big.png");
        // 1 Mi guest clusters at 4 px in 256 px rows: 64 per row, 16384 rows (65536 px); a 2048 px cap needs 32 per cell.
        Cli.Run r = Cli.run("render", "guest", dir.resolve("big.qcow2").toString(), "-o", png.toString(), "--width",
                "256", "--cell", "4", "--height", "2048");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("32 clusters per cell"), r.stdout());
        BufferedImage pic = ImageIO.read(png.toFile());
        assertEquals(256, pic.getWidth());
        assertEquals(2048, pic.getHeight());
    }

    @Test
    void badOptionsAreRefusedWithoutWritingAPicture() throws Exception {
        Qemu.requireInstalled();
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "s.qcow2", "1M");
        Path png = dir.resolve("none.png");
        Cli.Run r = Cli.run("render", "host", dir.resolve("s.qcow2").toString(), "-o", png.toString(),
                "--clusters-per-cell", "3");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("power of two"), r.stderr());
        assertTrue(!png.toFile().exists());
        Cli.Run wrongKind = Cli.run("render", "sideways", dir.resolve("s.qcow2").toString(), "-o", png.toString());
        assertEquals(2, wrongKind.exitCode());
    }
}

package io.qcowscope.app.cli;

import io.qcowscope.app.ui.render.MapColours;
import io.qcowscope.app.ui.render.MapFrame;
import io.qcowscope.app.ui.render.MapPicture;
import io.qcowscope.app.ui.view.Palette;
import io.qcowscope.app.ui.viewmodel.EngineHostLayout;
import io.qcowscope.app.ui.viewmodel.GuestMapViewModel;
import io.qcowscope.app.ui.viewmodel.HostMapViewModel;
import io.qcowscope.app.ui.viewmodel.ImageSession;
import io.qcowscope.app.ui.viewmodel.MapModel;
import io.qcowscope.app.ui.viewmodel.PictureExportViewModel;
import io.qcowscope.app.ui.viewmodel.SelectionModel;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.GuestLayout;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code qcowscope render}: the host layout or guest map as a PNG, painted by the same code as the window's map views, with
 * no display needed.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Draw the host layout or the guest map of an image as a PNG, as the window's map shows it.",
            "Without --cell and --clusters-per-cell the whole map is fitted into --width x --height with the largest "
                    + "cells that show it all; the picture is cut to the rows it uses."})
public final class RenderCommand implements Callable<Integer> {
    /** Which map to draw. */
    enum MapKind { host, guest }

    private static final int MAX_WIDTH = 16384;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "host|guest",
            description = "host: one cell per host cluster of the file, by role; guest: one cell per guest cluster.")
    MapKind kind;

    @Parameters(index = "1", paramLabel = "IMAGE")
    Path image;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The PNG to write.")
    Path output;

    @Option(names = "--width", defaultValue = "1024", paramLabel = "N", description = "Picture width in pixels "
            + "(default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "N", description = "Largest picture height in pixels (default: "
            + "5/8 of the width when fitting, else " + MapPicture.MAX_HEIGHT + ").")
    Integer height;

    @Option(names = "--cell", paramLabel = "PX", description = "Cell size in pixels (4 to 64); a cell of 16 px or more "
            + "shows the 32 subclusters of an extended L2 cluster.")
    Integer cellPx;

    @Option(names = "--clusters-per-cell", paramLabel = "N", description = "Clusters per cell, a power of two "
            + "(doubled further when the map would be taller than --height).")
    Long perCell;

    @Option(names = "--dark", description = "The dark theme's colours.")
    boolean dark;

    @Option(names = "--by-layer", description = "guest: colour by the layer of the backing chain that answers.")
    boolean byLayer;

    @Mixin
    ImageOptions imageOptions;

    @Override
    public Integer call() throws Exception {
        check(width >= 1 && width <= MAX_WIDTH, "--width must be 1 to " + MAX_WIDTH);
        check(height == null || (height >= 1 && height <= MapPicture.MAX_HEIGHT),
                "--height must be 1 to " + MapPicture.MAX_HEIGHT);
        check(cellPx == null || (cellPx >= 4 && cellPx <= 64 && cellPx <= width), "--cell must be 4 to 64 (and at most"
                + " the width)");
        check(perCell == null || (perCell >= 1 && Long.bitCount(perCell) == 1), "--clusters-per-cell must be a power"
                + " of two");
        check(!byLayer || kind == MapKind.guest, "--by-layer is for the guest map");
        try (Qcow2Image img = open()) {
            MapModel model = model(img);
            MapFrame frame = frame(model.itemCount());
            writeAtomically(model, frame);
            spec.commandLine().getOut().printf("%s: %dx%d, %s%n", output, frame.width(), frame.height(),
                    frame.perCell() > 1 ? frame.perCell() + " clusters per cell of " + frame.cellPx() + " px"
                            : frame.cellPx() + " px per cluster");
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The host layout reads only the image file, as {@code layout} does; the guest map follows the chain (trust gate). */
    private Qcow2Image open() throws IOException {
        if (kind == MapKind.host) {
            return Qcow2Image.open(image, OpenOptions.readOnly().withCheckMode(true).withBackingChain(false));
        }
        return imageOptions.open(image);
    }

    private MapModel model(Qcow2Image img) throws IOException {
        if (kind == MapKind.host) {
            HostMapViewModel host = new HostMapViewModel(new SelectionModel());
            host.setSource(EngineHostLayout.build(img, ProgressMonitor.NONE));
            return host;
        }
        GuestMapViewModel guest = GuestMapViewModel.of(new ImageSession(image, img, 0),
                GuestLayout.build(img, ProgressMonitor.NONE));
        guest.colourByLayerProperty().set(byLayer);
        return guest.forPicture();
    }

    private MapFrame frame(long items) {
        if (cellPx == null && perCell == null) {
            int h = height != null ? height : Math.max(1, width * 5 / 8);
            MapFrame fit = MapFrame.fit(items, width, h);
            return fit.withHeight((int) Math.min(h, MapPicture.heightOf(items, fit)));
        }
        return MapPicture.fitWidth(items, width, cellPx != null ? cellPx : 8, perCell != null ? perCell : 1,
                height != null ? height : MapPicture.MAX_HEIGHT);
    }

    private MapColours colours() {
        int[] codes = switch (kind) {
            case host -> Palette.hostRoles(dark);
            case guest -> byLayer ? Palette.layers(dark) : Palette.guestStates(dark);
        };
        // Coloured by layer, the subclusters carry layer codes too (GuestMapViewModel.fillSubcells).
        int[] sub = kind == MapKind.guest && !byLayer ? Palette.subclusters(dark) : codes;
        return new MapColours(codes, sub, dark ? Palette.darkBackground() : Palette.lightBackground(), 0);
    }

    /** Writes next to the target and moves it into place, so a failed run leaves no half picture. */
    private void writeAtomically(MapModel model, MapFrame frame) throws IOException {
        MapColours colours = colours();
        PictureExportViewModel.write(output, out -> MapPicture.write(model, frame, colours, out));
    }
}

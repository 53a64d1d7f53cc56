package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.render.MapFrame;
import io.qcowscope.app.ui.render.MapPicture;
import io.qcowscope.app.ui.render.PngWriter;
import io.qcowscope.app.ui.viewmodel.PictureExportViewModel;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.Tab;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * File > Export view as PNG. A map tab gives the whole map at its current zoom, painted by the same {@code MapPainter}
 * as the screen and {@code qcowscope render} (only the rows on screen when the whole map would be taller than
 * {@link MapPicture#MAX_HEIGHT}); any other tab, such as the L2 table with its subcluster strips, is exported as it shows.
 * The picture is taken on the UI thread; encoding and writing run in the background.
 */
final class ViewExport {
    private final PictureExportViewModel vm;
    private final List<ClusterMapView> maps;

    ViewExport(PictureExportViewModel vm, List<ClusterMapView> maps) {
        this.vm = vm;
        this.maps = maps;
    }

    /** Asks where to save the selected tab's picture and exports it; {@code image} names the default file. */
    void choose(Window owner, Tab tab, Path image) {
        if (tab == null || tab.getContent() == null) {
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle("Export " + tab.getText() + " as PNG");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG pictures", "*.png"));
        String base = image == null || image.getFileName() == null ? "qcowscope"
                : image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        fc.setInitialFileName(base + "-" + tab.getText().replaceAll("[^A-Za-z0-9]+", "-").toLowerCase() + ".png");
        if (image != null && image.toAbsolutePath().getParent() != null
                && image.toAbsolutePath().getParent().toFile().isDirectory()) {
            fc.setInitialDirectory(image.toAbsolutePath().getParent().toFile());
        }
        File f = fc.showSaveDialog(owner);
        if (f != null) {
            export(tab, f.toPath());
        }
    }

    /** Exports the selected tab's picture to {@code target} (no dialog). */
    void export(Tab tab, Path target) {
        for (ClusterMapView map : maps) {
            if (contains(tab.getContent(), map)) {
                exportMap(map, tab.getText(), target);
                return;
            }
        }
        exportNode(tab.getContent(), tab.getText(), target);
    }

    private void exportMap(ClusterMapView map, String title, Path target) {
        MapFrame screen = map.frame();
        long items = map.model().itemCount();
        MapFrame fromTop = new MapFrame(screen.width(), 1, screen.cellPx(), screen.perCell(), 0);
        MapFrame frame = MapPicture.heightOf(items, fromTop) <= MapPicture.MAX_HEIGHT
                ? MapPicture.whole(items, screen.width(), screen.cellPx(), screen.perCell())
                : screen;
        var colours = map.colours();
        long selected = map.model().selectedItem().get();
        String what = title + " (" + frame.width() + "x" + frame.height() + (frame == screen ? ", the rows on screen" : "")
                + ")";
        vm.export(target, what, out -> MapPicture.write(map.model().forPicture(), frame, colours, selected, out));
    }

    private void exportNode(Node node, String title, Path target) {
        WritableImage shot = node.snapshot(new SnapshotParameters(), null);
        int w = (int) shot.getWidth();
        int h = (int) shot.getHeight();
        int[] argb = new int[w * h];
        shot.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        vm.export(target, title + " (" + w + "x" + h + ")", out -> {
            try (PngWriter png = new PngWriter(out, w, h)) {
                png.writeRows(argb, h);
            }
        });
    }

    private static boolean contains(Node root, Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p == root) {
                return true;
            }
        }
        return false;
    }
}

package io.qcowscope.app.ui.view.lab;

import io.qcowscope.app.ui.viewmodel.lab.LabViewModel;
import io.qcowscope.app.ui.viewmodel.lab.WriteDryRunViewModel;
import java.util.List;
import java.util.function.Supplier;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCombination;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The lab's windows beside the main one: "What would a write do?" and the subcluster lab, each opened once and brought
 * to the front again; they take the main window's stylesheets (the theme is the application's).
 */
public final class LabWindows {
    private final LabViewModel lab;
    private final WriteDryRunViewModel dryRun;
    private final Supplier<Scene> owner;
    private Stage labStage;
    private Stage dryRunStage;

    public LabWindows(LabViewModel lab, WriteDryRunViewModel dryRun, Supplier<Scene> owner) {
        this.lab = lab;
        this.dryRun = dryRun;
        this.owner = owner;
    }

    /** The "Lab" menu of the main window. */
    public Menu menu() {
        MenuItem write = new MenuItem("_What would a write do?...", new FontIcon(Feather.EDIT_3));
        write.setId("menuWriteDryRun");
        write.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+W"));
        write.setOnAction(e -> showDryRun());
        MenuItem sub = new MenuItem("_Subcluster lab...", new FontIcon(Feather.BAR_CHART_2));
        sub.setId("menuSubclusterLab");
        sub.setAccelerator(KeyCombination.keyCombination("Shortcut+L"));
        sub.setOnAction(e -> showLab());
        return new Menu("_Lab", null, write, sub);
    }

    /** The guest map's context menu for the guest cluster starting at {@code guestOffset}. */
    public List<MenuItem> guestMapItems(long guestOffset) {
        MenuItem write = new MenuItem("What would a write here do?...", new FontIcon(Feather.EDIT_3));
        write.setOnAction(e -> {
            dryRun.prepare(guestOffset);
            showDryRun();
        });
        return List.of(write);
    }

    public Stage showDryRun() {
        if (dryRunStage == null) {
            dryRunStage = stage("What would a write do?", new WriteDryRunView(dryRun), 1180, 760);
        }
        return front(dryRunStage);
    }

    public Stage showLab() {
        if (labStage == null) {
            labStage = stage("Subcluster lab", new LabView(lab), 1280, 820);
        }
        return front(labStage);
    }

    private static Stage front(Stage s) {
        s.show();
        s.toFront();
        return s;
    }

    private Stage stage(String title, Parent root, double w, double h) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = io.qcowscope.app.ui.view.WindowScene.create(root, Math.min(w, screen.getWidth()),
                Math.min(h, screen.getHeight()));
        Scene main = owner.get();
        Stage s = new Stage();
        s.setTitle(title + " - qcowscope");
        s.setScene(scene);
        s.setMinWidth(640);
        s.setMinHeight(480);
        if (main != null && main.getWindow() != null) {
            s.initOwner(main.getWindow());
            if (main.getWindow() instanceof Stage ms) {
                s.getIcons().setAll(ms.getIcons());
            }
        }
        return s;
    }
}

package io.qcowscope.app.ui.view.repair;

import io.qcowscope.app.ui.viewmodel.repair.RescueViewModel;
import java.util.function.Supplier;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The rescue's window beside the main one (issue 14), opened once and brought to the front again; it takes the main
 * window's stylesheets, so the theme is the application's.
 */
public final class RescueWindow {
    private final RescueViewModel vm;
    private final Supplier<Scene> owner;
    private Stage stage;
    private RescueView view;

    public RescueWindow(RescueViewModel vm, Supplier<Scene> owner) {
        this.vm = vm;
        this.owner = owner;
    }

    public Stage show() {
        if (stage == null) {
            view = new RescueView(vm);
            Rectangle2D screen = Screen.getPrimary().getVisualBounds();
            Scene scene = io.qcowscope.app.ui.view.WindowScene.create(view, Math.min(1180, screen.getWidth()),
                    Math.min(820, screen.getHeight()));
            Scene main = owner.get();
            stage = new Stage();
            stage.setTitle("Rescue - qcowscope");
            stage.setScene(scene);
            stage.setMinWidth(640);
            stage.setMinHeight(480);
            if (main != null && main.getWindow() != null) {
                stage.initOwner(main.getWindow());
                if (main.getWindow() instanceof Stage ms) {
                    stage.getIcons().setAll(ms.getIcons());
                }
            }
        }
        stage.show();
        stage.toFront();
        return stage;
    }

    /** The view, once the window was shown (for tests). */
    public RescueView view() {
        return view;
    }
}

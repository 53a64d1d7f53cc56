package io.qcowscope.app.ui.view;

import javafx.scene.Parent;
import javafx.scene.Scene;

/**
 * Every window's scene, the app's and every test's: with the window stylesheet, which styles the views and gives
 * ControlsFX's own stylesheets the colour lookups they expect (a scene without it logged CSS warnings).
 */
public final class WindowScene {
    /** The stylesheet every window of the app uses, on top of the AtlantaFX theme. */
    public static final String STYLESHEET = WindowScene.class.getResource("/io/qcowscope/app/ui/window.css")
            .toExternalForm();

    private WindowScene() {
    }

    public static Scene create(Parent root, double width, double height) {
        Scene scene = new Scene(root, width, height);
        scene.getStylesheets().add(STYLESHEET);
        return scene;
    }
}

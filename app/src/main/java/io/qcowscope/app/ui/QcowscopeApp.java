package io.qcowscope.app.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.view.MainView;
import io.qcowscope.app.ui.view.WindowScene;
import io.qcowscope.app.ui.view.WindowSkeleton;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.PreferencesRecentFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/** The inspector window: wires the FX task executor, the main view-model and the main view; applies the theme. */
public final class QcowscopeApp extends Application {

    @Override
    public void start(Stage stage) {
        long t0 = System.nanoTime();
        CompletableFuture<Integer> warm = Boolean.parseBoolean(System.getProperty("qcowscope.warmup", "true"))
                ? ClassWarmup.start() : CompletableFuture.completedFuture(0);
        if (Boolean.getBoolean("qcowscope.frames")) {
            warm.thenAccept(n -> System.err.printf("qcowscope warmup: %d classes loaded in %.0f ms%n", n,
                    (System.nanoTime() - t0) / 1e6));
        }
        WindowPrefs prefs = new WindowPrefs();
        applyTheme(prefs.darkTheme());
        if (Boolean.getBoolean("qcowscope.frames")) {
            logPulses();
            FxStallLog.start();
        }
        List<String> args = getParameters().getRaw();
        WindowPrefs.Placement at = WindowPrefs.fit(prefs.placement(), screenOf(prefs.placement()));
        // The first frame is a skeleton, shown at once: building the views holds the FX thread for a while (a second
        // and more in a cold JVM on a loaded machine), and the window stayed blank white meanwhile.
        Scene scene = WindowScene.create(WindowSkeleton.create(args.isEmpty() ? "the demo image" : Path.of(args.get(0))
                .getFileName().toString()), at.width(), at.height());
        stage.setTitle("qcowscope");
        // the six icon sizes are decoded off the FX thread
        CompletableFuture.supplyAsync(QcowscopeApp::icons).thenAccept(icons -> Platform.runLater(() ->
                stage.getIcons().setAll(icons)));
        stage.setScene(scene);
        stage.setX(at.x());
        stage.setY(at.y());
        stage.setMaximized(at.maximized());
        stage.setMinWidth(Math.min(WindowPrefs.MIN_WIDTH, at.width()));
        stage.setMinHeight(Math.min(WindowPrefs.MIN_HEIGHT, at.height()));
        stage.setOnHiding(e -> prefs.savePlacement(new WindowPrefs.Placement(stage.getX(), stage.getY(),
                scene.getWidth(), scene.getHeight(), stage.isMaximized())));
        stage.show();
        afterFirstFrame(() -> build(stage, scene, prefs, args));
    }

    /** The window's icon in every size the assets hold. */
    private static List<Image> icons() {
        List<Image> icons = new ArrayList<>();
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            var icon = QcowscopeApp.class.getResource("/io/qcowscope/assets/icons/qcowscope-" + size + ".png");
            if (icon != null) {
                icons.add(new Image(icon.toExternalForm()));
            }
        }
        return icons;
    }

    /**
     * The views in place of the skeleton, then the image (or the demo) opening: one step per pulse (the view-model, the
     * views, the scene's root, the open), so that the skeleton keeps drawing between them and no one task holds the FX
     * thread for all of it.
     */
    private static void build(Stage stage, Scene scene, WindowPrefs prefs, List<String> args) {
        MainViewModel vm = new MainViewModel(new FxTaskExecutor(), new PreferencesRecentFiles());
        vm.darkThemeProperty().set(prefs.darkTheme());
        vm.darkThemeProperty().addListener((o, a, b) -> {
            applyTheme(b);
            prefs.saveDarkTheme(b);
        });
        if (Boolean.getBoolean("qcowscope.frames")) {
            vm.scanningProperty().addListener((o, a, b) -> FxStallLog.scanning(b));
        }
        if (Boolean.getBoolean("qcowscope.log")) {
            vm.statusProperty().addListener((o, a, b) -> System.err.println("qcowscope status: " + b));
            vm.errorProperty().addListener((o, a, b) -> System.err.println("qcowscope error: " + b));
        }
        MainView[] view = new MainView[1];
        Parent skeleton = scene.getRoot();
        StackPane root = new StackPane();
        // The views go in under the skeleton, which covers them while they are styled and laid out a part a pulse (the
        // views, their bars, the shown view; MainView.deferParts); then the skeleton goes. Replacing the root by all of
        // them at once held the FX thread for about 280 ms of CPU in one pulse at a load of 2, 500 at 5.
        onPulses(() -> {
            view[0] = new MainView(vm);
            view[0].deferParts();
        }, () -> {
            scene.setRoot(root);
            root.getChildren().setAll(view[0], skeleton);
        }, () -> view[0].attachNextPart(), () -> view[0].attachNextPart(), () -> view[0].attachNextPart(), () -> {
            root.getChildren().remove(skeleton);
            stage.titleProperty().bind(vm.titleProperty());
            if (Boolean.getBoolean("qcowscope.log")) {
                logFirstPulseAfterOpen(vm, scene);
            }
            if (TrainingTour.requested()) {
                TrainingTour.startWhenOpen(view[0].tabs(), vm);
            }
        }, () -> {
            if (args.isEmpty()) {
                vm.openDemo();
            } else {
                vm.open(Path.of(args.get(0)));
            }
        });
    }

    /** Runs each of {@code steps} on its own pulse, in order, from the next pulse on. */
    private static void onPulses(Runnable... steps) {
        new javafx.animation.AnimationTimer() {
            private int next;

            @Override
            public void handle(long now) {
                steps[next++].run();
                if (next == steps.length) {
                    stop();
                }
            }
        }.start();
    }

    /**
     * Runs {@code r} on the FX thread once the skeleton is on screen: on the eighth pulse from now. On the second, the
     * views' construction began before a cold renderer had presented the first frame, and the window stayed white for
     * 1.2-2.5 s under Xvfb; with eight it shows the skeleton from the moment it is mapped. The class warm-up goes on
     * meanwhile: waiting for it delayed the views by its 2-4 s on a loaded machine, and clicks made meanwhile all landed
     * at once when they came.
     */
    private static void afterFirstFrame(Runnable r) {
        io.qcowscope.app.ui.task.FxFrames.after(8, r);
    }

    /** The usable area of the screen the saved placement is on, else of the primary screen. */
    private static javafx.geometry.Rectangle2D screenOf(WindowPrefs.Placement p) {
        if (p != null) {
            var screens = javafx.stage.Screen.getScreensForRectangle(p.x(), p.y(), p.width(), p.height());
            if (!screens.isEmpty()) {
                return screens.get(0).getVisualBounds();
            }
        }
        return javafx.stage.Screen.getPrimary().getVisualBounds();
    }

    /** Logs, in JVM uptime, when the overview of a newly opened image has been laid out for rendering. */
    private static void logFirstPulseAfterOpen(MainViewModel vm, Scene scene) {
        var runtime = java.lang.management.ManagementFactory.getRuntimeMXBean();
        vm.sessionProperty().addListener((o, a, b) -> {
            long set = runtime.getUptime();
            Runnable[] once = new Runnable[1];
            once[0] = () -> {
                System.err.printf("qcowscope timing: session set at uptime %d ms, next pulse laid out at %d ms%n", set,
                        runtime.getUptime());
                scene.removePostLayoutPulseListener(once[0]);
            };
            scene.addPostLayoutPulseListener(once[0]);
        });
    }

    /** With -Dqcowscope.frames=true: once a second, how many pulses the FX thread rendered and the longest gap. */
    private static void logPulses() {
        new javafx.animation.AnimationTimer() {
            private long last;
            private long windowStart;
            private long maxGap;
            private int pulses;

            @Override
            public void handle(long now) {
                if (last != 0) {
                    maxGap = Math.max(maxGap, now - last);
                }
                last = now;
                pulses++;
                if (now - windowStart >= 1_000_000_000L) {
                    if (windowStart != 0) {
                        System.err.printf("pulses %d/s, longest gap %.1f ms%n", pulses, maxGap / 1e6);
                    }
                    windowStart = now;
                    pulses = 0;
                    maxGap = 0;
                }
            }
        }.start();
    }

    /** Sets AtlantaFX's Primer light or dark user-agent stylesheet. */
    public static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }
}

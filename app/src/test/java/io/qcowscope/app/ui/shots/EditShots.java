package io.qcowscope.app.ui.shots;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.render.PngWriter;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.view.MainView;
import io.qcowscope.app.ui.view.edit.ApplyDialog;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.edit.ApplyRequest;
import io.qcowscope.app.ui.viewmodel.edit.ApplyRunner;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * Screenshots of the edit mode for looking at them (not a test): run under Xvfb with the real window system,
 * {@code EditShots OUTDIR WIDTH HEIGHT light|dark [IMAGE]}. Opens the image (default: the demo), turns Edit on, queues
 * guest edits and a snapshot, shoots the guest map with the queue and the Apply confirmation, applies in place, shoots the
 * result.
 */
public final class EditShots extends Application {
    private Path out;
    private String tag;
    private MainViewModel vm;
    private MainView view;
    private Stage stage;

    /** Launches through a class that is not the Application, as the JavaFX launcher wants on the class path. */
    public static final class Main {
        public static void main(String[] args) {
            Application.launch(EditShots.class, args);
        }
    }

    @Override
    public void start(Stage s) throws Exception {
        var a = getParameters().getRaw();
        out = Files.createDirectories(Path.of(a.get(0)));
        int w = Integer.parseInt(a.get(1));
        int h = Integer.parseInt(a.get(2));
        boolean dark = a.get(3).equals("dark");
        tag = w + "x" + h + "-" + a.get(3);
        stage = s;
        QcowscopeApp.applyTheme(dark);
        vm = new MainViewModel(new FxTaskExecutor(), RecentFiles.inMemory());
        vm.darkThemeProperty().set(dark);
        view = new MainView(vm);
        Scene scene = io.qcowscope.app.ui.view.WindowScene.create(view, w, h);
        s.setScene(scene);
        s.titleProperty().bind(vm.titleProperty());
        s.show();
        if (a.size() > 4) {
            vm.open(Path.of(a.get(4)));
        } else {
            vm.openDemo();
        }
        waitFor(() -> vm.layoutReadyProperty().get(), this::editing);
    }

    private void editing() {
        vm.edit().mode().enter();
        waitFor(() -> vm.edit().mode().isEditing(), () -> {
            view.tabs().getSelectionModel().select(2);
            var e = vm.edit();
            e.rangeOffsetProperty().set("0x30000");
            e.rangeLengthProperty().set("3k");
            e.queuePattern("0x5a");
            e.rangeOffsetProperty().set("64k");
            e.rangeLengthProperty().set("64k");
            e.queueZero(true);
            e.queueSnapshotCreate("before-discard");
            e.rangeOffsetProperty().set("0x20000");
            e.rangeLengthProperty().set("64k");
            e.queueDiscard();
            later(2500, () -> {
                shoot(view, "edit-queue-" + tag);
                ApplyDialog d = new ApplyDialog(vm.edit(), vm.sessionProperty().get().path());
                d.initOwner(stage);
                d.show();
                later(1500, () -> {
                    shoot(d.getDialogPane(), "edit-apply-dialog-" + tag);
                    d.close();
                    Path img = vm.sessionProperty().get().path();
                    vm.edit().runner().apply(ApplyRequest.inPlace(ApplyRunner.defaultJournal(img)));
                    waitFor(() -> !vm.edit().runner().runningProperty().get() && vm.layoutReadyProperty().get()
                            && vm.edit().mode().isEditing(), () -> later(2500, () -> {
                                shoot(view, "edit-applied-" + tag);
                                view.tabs().getSelectionModel().select(5);
                                later(1500, () -> {
                                    shoot(view, "edit-snapshots-" + tag);
                                    Platform.exit();
                                });
                            }));
                });
            });
        });
    }

    private static void later(long ms, Runnable r) {
        PauseTransition p = new PauseTransition(Duration.millis(ms));
        p.setOnFinished(e -> r.run());
        p.play();
    }

    private static void waitFor(java.util.function.BooleanSupplier c, Runnable then) {
        if (c.getAsBoolean()) {
            then.run();
        } else {
            later(200, () -> waitFor(c, then));
        }
    }

    private void shoot(Node n, String name) {
        WritableImage img = n.snapshot(null, null);
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        PixelReader r = img.getPixelReader();
        r.getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), argb, 0, w);
        try (OutputStream o = Files.newOutputStream(out.resolve(name + ".png")); PngWriter p = new PngWriter(o, w, h)) {
            p.writeRows(argb, h);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        System.err.println("shot " + out.resolve(name + ".png") + "; status: " + vm.statusProperty().get() + " | error: "
                + vm.errorProperty().get());
    }
}

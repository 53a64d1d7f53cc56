package io.qcowscope.app.ui;

import io.qcowscope.app.ui.viewmodel.MainViewModel;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.control.TabPane;

/**
 * The window's part of the start-up cache's training (io.qcowscope.app.AotTraining, {@code -Dqcowscope.training=window}):
 * once the demo image is open, shows each view once, a few pulses apart so that each is styled, laid out and drawn,
 * waits for the background scans to end, then quits the window as File > Quit does. The JVM then records what the window
 * loaded. A window that shows an error, or has not done all that after {@link #LIMIT_NANOS}, ends the JVM with status 1
 * and no cache, so a training run never hangs nor ships a cache of a window that did not work.
 */
final class TrainingTour extends AnimationTimer {
    static final String PROPERTY = "qcowscope.training";
    private static final int PULSES_PER_VIEW = 12;
    private static final long LIMIT_NANOS = 120_000_000_000L;
    private final TabPane tabs;
    private final MainViewModel vm;
    private long start;
    private int pulses;

    private TrainingTour(TabPane tabs, MainViewModel vm) {
        this.tabs = tabs;
        this.vm = vm;
    }

    /** True when this run is the window's training. */
    static boolean requested() {
        return "window".equals(System.getProperty(PROPERTY));
    }

    /** Starts the tour of {@code tabs}: its views are shown once {@code vm} has a session. */
    static void startWhenOpen(TabPane tabs, MainViewModel vm) {
        new TrainingTour(tabs, vm).start();
    }

    @Override
    public void handle(long now) {
        if (start == 0) {
            start = now;
        }
        if (!vm.errorProperty().get().isEmpty() || now - start > LIMIT_NANOS) {
            // no cache from a window that did not open or never finished: the training fails, the build says why
            System.err.println("window training failed: " + (vm.errorProperty().get().isEmpty()
                    ? "not done after " + LIMIT_NANOS / 1_000_000_000L + " s" : vm.errorProperty().get()));
            Runtime.getRuntime().halt(1);
        }
        if (vm.sessionProperty().get() == null) {
            return;
        }
        int view = ++pulses / PULSES_PER_VIEW;
        int count = tabs.getTabs().size();
        if (view < count && pulses % PULSES_PER_VIEW == 0) {
            tabs.getSelectionModel().select(view);
        } else if (view >= count + 1 && !vm.busyProperty().get()) {
            stop();
            Platform.exit();
        }
    }
}

package io.qcowscope.app.ui.task;

import javafx.animation.AnimationTimer;

/** Work for the FX thread that waits for frames: JavaFX runs an {@link AnimationTimer} once a pulse. */
public final class FxFrames {
    private FxFrames() {
    }

    /** Runs {@code r} on the FX thread on the {@code frames}-th pulse from now (call on the FX thread). */
    public static void after(int frames, Runnable r) {
        new AnimationTimer() {
            private int pulses;

            @Override
            public void handle(long now) {
                if (++pulses == frames) {
                    stop();
                    r.run();
                }
            }
        }.start();
    }

    /** Runs {@code steps} on the FX thread in order, one a pulse from the next on (call on the FX thread). */
    public static void each(Runnable... steps) {
        new AnimationTimer() {
            private int next;

            @Override
            public void handle(long now) {
                Runnable step = steps[next++];
                if (next == steps.length) {
                    stop();
                }
                step.run();
            }
        }.start();
    }
}

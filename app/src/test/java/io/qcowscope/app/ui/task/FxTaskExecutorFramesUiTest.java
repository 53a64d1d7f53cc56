package io.qcowscope.app.ui.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The FX executor's frame helpers: steps one a frame, in order; a settled window waits for the worker's deliveries. */
@ExtendWith(ApplicationExtension.class)
class FxTaskExecutorFramesUiTest {
    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new StackPane(), 200, 100));
        stage.show();
    }

    @Test
    void onFramesRunsEachStepOnItsOwnPulseInOrder() throws Exception {
        FxTaskExecutor executor = new FxTaskExecutor();
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Long> pulses = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            long[] pulse = new long[1];
            javafx.animation.AnimationTimer counter = new javafx.animation.AnimationTimer() {
                @Override
                public void handle(long now) {
                    pulse[0]++;
                }
            };
            counter.start();
            executor.onFrames(() -> {
                ran.add("a");
                pulses.add(pulse[0]);
            }, () -> {
                ran.add("b");
                pulses.add(pulse[0]);
            }, () -> {
                ran.add("c");
                pulses.add(pulse[0]);
                counter.stop();
                done.countDown();
            });
            ran.add("posted");
        });
        assertTrue(done.await(10, TimeUnit.SECONDS), "the three steps ran");
        assertEquals(List.of("posted", "a", "b", "c"), ran, "none runs when posted, then in order");
        assertTrue(pulses.get(0) < pulses.get(1) && pulses.get(1) < pulses.get(2), "a pulse each: " + pulses);
    }

    @Test
    void whenSettledWaitsUntilTheWorkerHasDeliveredItsTasks() throws Exception {
        FxTaskExecutor executor = new FxTaskExecutor();
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch settled = new CountDownLatch(1);
        Platform.runLater(() -> {
            executor.execute("slow", m -> {
                release.await(10, TimeUnit.SECONDS);
                return 1;
            }, new TaskListener<Integer>() {
                @Override
                public void succeeded(Integer value) {
                    order.add("delivered");
                }
            });
            executor.whenSettled(() -> {
                order.add("settled");
                settled.countDown();
            });
        });
        // held well below the bound (1.5 s): settling waits for the delivery, not for the bound
        Thread.sleep(300);
        assertTrue(order.isEmpty(), "nothing settles while the worker's task runs: " + order);
        release.countDown();
        assertTrue(settled.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("delivered", "settled"), order);
    }
}

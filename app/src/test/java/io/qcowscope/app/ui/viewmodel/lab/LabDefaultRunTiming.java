package io.qcowscope.app.ui.viewmodel.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The lab's default run (24 rows, 4 GiB, 10 MiB of writes, seed 2020) through the view-model, headless, timed whole and
 * per row. Opt-in ({@code -Dqcowscope.lab.timing=true}): it takes tens of seconds and measures rather than checks.
 */
@EnabledIfSystemProperty(named = "qcowscope.lab.timing", matches = "true")
class LabDefaultRunTiming {
    @Test
    void defaultRun() {
        LabViewModel vm = new LabViewModel(new SyncTaskExecutor(), false);
        long t0 = System.nanoTime();
        vm.run();
        double total = (System.nanoTime() - t0) / 1e9;
        assertEquals(24, vm.rows().size(), vm.statusProperty().get());
        double inRows = 0;
        for (LabRow r : vm.rows()) {
            var m = r.oursProperty().get();
            inRows += m.seconds();
            System.out.printf(Locale.ROOT, "lab-row %s %s: %.2f s, image %d, cow %d%n", r.seriesLabel(),
                    r.clusterLabel(), m.seconds(), m.imageSize(), m.cowBytes());
        }
        System.out.printf(Locale.ROOT, "lab-default: %.1f s whole, %.1f s in the rows; %s%n", total, inRows,
                vm.statusProperty().get());
    }
}

package io.qcowscope.app.ui.viewmodel.lab;

import io.qcowscope.engine.bench.RandomWriteWorkload;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One configuration of the lab and what it measured, for the table and the charts. */
public final class LabRow {
    private final RandomWriteWorkload.Configuration config;
    private final StringProperty state = new SimpleStringProperty(this, "state", "waiting");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final ObjectProperty<RandomWriteWorkload.Measurement> ours = new SimpleObjectProperty<>(this, "ours");
    private final ObjectProperty<RandomWriteWorkload.Measurement> qemu = new SimpleObjectProperty<>(this, "qemu");

    LabRow(RandomWriteWorkload.Configuration config) {
        this.config = config;
    }

    public RandomWriteWorkload.Configuration config() {
        return config;
    }

    /** "64 KiB", "2 MiB". */
    public String clusterLabel() {
        long c = config.clusterSize();
        return c >= 1 << 20 ? (c >> 20) + " MiB" : (c >> 10) + " KiB";
    }

    /** The series a row belongs to in the charts: the kind of L2 entry and whether a backing file is there. */
    public String seriesLabel() {
        return (config.extendedL2() ? "extended L2" : "standard L2") + (config.backing() ? ", backing file" : ", no backing");
    }

    public StringProperty stateProperty() {
        return state;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public ObjectProperty<RandomWriteWorkload.Measurement> oursProperty() {
        return ours;
    }

    public ObjectProperty<RandomWriteWorkload.Measurement> qemuProperty() {
        return qemu;
    }
}

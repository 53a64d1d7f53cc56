package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.image.Qcow2Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The bytes of one host cluster, 16 to a row, with a highlighted range (the selected entry). */
public final class HexViewModel {
    /** One row of 16 bytes at {@code offset} in the file. */
    public record HexRow(long offset, byte[] bytes) {
    }

    private final ObservableList<HexRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyLongWrapper clusterOffset = new ReadOnlyLongWrapper(this, "clusterOffset", -1);
    private final ReadOnlyLongWrapper highlightStart = new ReadOnlyLongWrapper(this, "highlightStart", -1);
    private final ReadOnlyLongWrapper highlightLength = new ReadOnlyLongWrapper(this, "highlightLength", 0);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
    private ImageSession session;

    void setSession(ImageSession s) {
        session = s;
        rows.clear();
        clusterOffset.set(-1);
        show(0, -1, 0);
    }

    /** Shows the cluster at {@code clusterStart} with bytes {@code [inCluster, inCluster+length)} highlighted. */
    public void show(long clusterStart, long inCluster, long length) {
        if (session == null) {
            return;
        }
        Qcow2Image img = session.image();
        int cs = (int) img.geometry().clusterSize();
        if (clusterStart != clusterOffset.get()) {
            try {
                long size = img.storage().size();
                int n = (int) Math.max(0, Math.min(cs, size - clusterStart));
                byte[] b = n == 0 ? new byte[0] : img.storage().read(clusterStart, n);
                List<HexRow> list = new ArrayList<>(n / 16 + 1);
                for (int i = 0; i < n; i += 16) {
                    byte[] row = new byte[Math.min(16, n - i)];
                    System.arraycopy(b, i, row, 0, row.length);
                    list.add(new HexRow(clusterStart + i, row));
                }
                rows.setAll(list);
                title.set("host cluster " + (clusterStart / cs) + " at " + Sizes.hex(clusterStart)
                        + (n < cs ? " (" + n + " bytes before end of file)" : ""));
            } catch (IOException e) {
                rows.clear();
                title.set("cannot read " + Sizes.hex(clusterStart) + ": " + e.getMessage());
            }
            clusterOffset.set(clusterStart);
        }
        highlightStart.set(inCluster < 0 ? -1 : clusterStart + inCluster);
        highlightLength.set(length);
    }

    /** Shows host cluster {@code c} without highlight. */
    public void showCluster(long c) {
        if (session != null && c >= 0) {
            show(c << session.image().geometry().clusterBits(), -1, 0);
        }
    }

    /**
     * Shows the cluster the text names: a decimal host cluster index, or a {@code 0x} byte offset in the file. Returns false
     * when the text names no cluster of the file.
     */
    public boolean goTo(String text) {
        if (session == null || text == null) {
            return false;
        }
        String t = text.trim().toLowerCase();
        try {
            int bits = session.image().geometry().clusterBits();
            long cluster = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) >>> bits : Long.parseLong(t);
            long size = session.image().storage().size();
            if (cluster < 0 || cluster << bits >= size) {
                return false;
            }
            showCluster(cluster);
            return true;
        } catch (NumberFormatException | IOException e) {
            return false;
        }
    }

    public ObservableList<HexRow> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    public ReadOnlyLongProperty clusterOffsetProperty() {
        return clusterOffset.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty highlightStartProperty() {
        return highlightStart.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty highlightLengthProperty() {
        return highlightLength.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }
}

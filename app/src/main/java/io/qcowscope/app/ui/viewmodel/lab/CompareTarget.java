package io.qcowscope.app.ui.viewmodel.lab;

/** The other geometry a write is compared in: a cluster size and the kind of L2 entry. */
public record CompareTarget(long clusterSize, boolean extendedL2) {
    public String label() {
        String c = clusterSize >= 1 << 20 ? (clusterSize >> 20) + " MiB" : (clusterSize >> 10) + " KiB";
        return (extendedL2 ? "extended L2, " : "standard L2, ") + c + " clusters";
    }

    @Override
    public String toString() {
        return label();
    }
}

package io.qcowscope.engine.layout;

import io.qcowscope.engine.host.HostClusterRole;
import java.util.Map;

/**
 * Totals of a host layout.
 *
 * @param bytesPerRole      cluster bytes per final role (a cluster counts once, under its final role)
 * @param metadataBytes     bytes of header, L1/L2 tables, refcount structures, snapshot table, bitmaps, encryption header
 * @param metadataOverhead  metadataBytes / (metadata + data bytes), 0 when both are 0
 * @param leakedBytes       bytes of clusters with a refcount that nothing references
 * @param fragmentation     QEMU's fragmented / allocated clusters of the active tables (spec 5.7), 0 when none
 * @param overlapClusters   clusters claimed by owners that must not share
 * @param beyondEnd         references one cluster or more past the end of the file
 */
public record LayoutSummary(
        long clusterSize,
        long fileLength,
        long clusterCount,
        Map<HostClusterRole, Long> bytesPerRole,
        long metadataBytes,
        double metadataOverhead,
        long leakedBytes,
        double fragmentation,
        long overlapClusters,
        long beyondEnd) {
}

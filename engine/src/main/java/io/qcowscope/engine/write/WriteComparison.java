package io.qcowscope.engine.write;

import io.qcowscope.engine.image.OpenOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The same write planned on the image as it is and on a temporary image with the same guest content in another geometry
 * ({@link SameContentImage}): the talk's central picture (bytes copied, clusters allocated, metadata written), both
 * sides from {@link WriteDryRun}. The temporary image is deleted afterwards; the image itself is never written.
 */
public record WriteComparison(WritePlan image, WritePlan other, long otherClusterSize, boolean otherExtendedL2) {

    public static WriteComparison plan(Path image, OpenOptions options, long offset, long length, long clusterSize,
            boolean extendedL2, Path scratchDir) throws IOException {
        WritePlan mine = WriteDryRun.plan(image, options, offset, length, (byte) 0xa5);
        Path dir = Files.createTempDirectory(scratchDir, "qcowscope-compare");
        Path copy = dir.resolve("same-content.qcow2");
        try {
            OpenOptions o = SameContentImage.create(image, options, copy, clusterSize, extendedL2);
            WritePlan theirs = WriteDryRun.plan(copy, o, offset, length, (byte) 0xa5);
            return new WriteComparison(mine, theirs, clusterSize, extendedL2);
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(dir);
        }
    }
}

package io.qcowscope.app.cli;

import io.qcowscope.engine.format.CompressionType;
import io.qcowscope.engine.write.CreateOptions;
import io.qcowscope.engine.write.ImageCreator;
import io.qcowscope.engine.write.Preallocation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qcowscope create}: a new qcow2 image, laid out byte for byte as {@code qemu-img create -f qcow2} does. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a qcow2 image (like qemu-img create).")
public final class CreateCommand implements Callable<Integer> {
    @Option(names = "--compat", defaultValue = "1.1", description = "0.10 (version 2) or 1.1 (version 3)")
    String compat;

    @Option(names = "--cluster-size", defaultValue = "64k", description = "512 to 2M (default ${DEFAULT-VALUE})")
    String clusterSize;

    @Option(names = "--extended-l2", description = "Extended L2 entries with 32 subclusters per cluster.")
    boolean extendedL2;

    @Option(names = "--refcount-bits", defaultValue = "16", description = "1, 2, 4, 8, 16, 32 or 64")
    int refcountBits;

    @Option(names = "--lazy-refcounts")
    boolean lazyRefcounts;

    @Option(names = "--compression-type", defaultValue = "zlib", description = "zlib or zstd")
    String compressionType;

    @Option(names = {"-b", "--backing"}, description = "Backing file name stored in the image.")
    String backingFile;

    @Option(names = {"-F", "--backing-format"}, description = "Format of the backing file (qcow2 or raw).")
    String backingFormat;

    @Option(names = "--preallocation", defaultValue = "off", description = "off or metadata")
    String preallocation;

    @Mixin
    ImageOptions imageOptions;

    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Parameters(index = "1", paramLabel = "SIZE", description = "Virtual size, e.g. 40G.")
    String size;

    @Override
    public Integer call() throws Exception {
        CompressionType ct = CompressionType.ofName(compressionType);
        if (ct == null) {
            throw new IllegalArgumentException("unknown compression type '" + compressionType + "'");
        }
        int version = switch (compat) {
            case "0.10" -> 2;
            case "1.1" -> 3;
            default -> throw new IllegalArgumentException("--compat must be 0.10 or 1.1");
        };
        Preallocation p = switch (preallocation) {
            case "off" -> Preallocation.OFF;
            case "metadata" -> Preallocation.METADATA;
            default -> throw new IllegalArgumentException("--preallocation must be off or metadata");
        };
        CreateOptions o = CreateOptions.of(BenchCommand.parse(size)).withVersion(version)
                .withClusterSize(BenchCommand.parse(clusterSize)).withExtendedL2(extendedL2)
                .withRefcountBits(refcountBits).withLazyRefcounts(lazyRefcounts).withCompressionType(ct)
                .withBacking(backingFile, backingFormat).withPreallocation(p);
        ImageCreator.create(image, o, imageOptions.openOptions());
        return 0;
    }
}

package io.qcowscope.engine.write;

import io.qcowscope.engine.image.BlockStatus;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Makes a new image with the guest content of another but another geometry (cluster size, standard or extended L2): the
 * same virtual size and backing file, and the source's own layer copied by block status (spec 6.1): its data written,
 * its zero ranges written as zeros, what the backing file answers left unallocated. Snapshots, compression and the
 * source's metadata history are not carried over. Used to put the same write side by side in two geometries.
 */
public final class SameContentImage {
    /** The most guest data copied: beyond it, the comparison would take too long to be interactive. */
    public static final long MAX_DATA = 1L << 30;
    private static final int CHUNK = 1 << 20;

    private SameContentImage() {
    }

    /** The backing file of {@code source}'s copy is the same file, named by its absolute path. */
    public static OpenOptions create(Path source, OpenOptions options, Path target, long clusterSize,
            boolean extendedL2) throws IOException {
        try (Qcow2Image src = Qcow2Image.open(source, options.withWritable(false))) {
            CreateOptions o = CreateOptions.of(src.virtualSize()).withClusterSize(clusterSize)
                    .withExtendedL2(extendedL2).withRefcountBits(1 << src.header().refcountOrder());
            OpenOptions targetOptions = options;
            if (src.backingFileName() != null) {
                if (src.backing() == null) {
                    throw src.backingError() != null ? src.backingError()
                            : new IOException("the backing file of " + source + " is not open");
                }
                Path backing = Path.of(src.backing().filename()).toAbsolutePath().normalize();
                o = o.withBacking(backing.toString(), src.backingFormat() != null ? src.backingFormat()
                        : src.backing().formatName());
                targetOptions = options.withTrust(options.trust().allowing(Set.of(backing)));
            }
            ImageCreator.create(target, o);
            try (WritableImage dst = WritableImage.open(target, targetOptions)) {
                copyLayer(src, dst);
            }
            return targetOptions;
        }
    }

    private static void copyLayer(Qcow2Image src, WritableImage dst) throws IOException {
        long size = src.virtualSize();
        long copied = 0;
        byte[] buf = new byte[CHUNK];
        for (long off = 0; off < size; ) {
            BlockStatus s = src.blockStatus(off, size - off);
            long len = Math.max(1, Math.min(s.length(), size - off));
            if (s.allocated() && s.data()) {
                copied += len;
                if (copied > MAX_DATA) {
                    throw new IOException("the image holds more than " + (MAX_DATA >> 20) + " MiB of data: too much to "
                            + "copy into a comparison image");
                }
                for (long p = off; p < off + len; ) {
                    int n = (int) Math.min(CHUNK, off + len - p);
                    src.read(p, buf, 0, n);
                    dst.write(p, buf, 0, n);
                    p += n;
                }
            } else if (s.allocated() && s.zero()) {
                dst.writeZeroes(off, len, false);
            }
            off += len;
        }
    }
}

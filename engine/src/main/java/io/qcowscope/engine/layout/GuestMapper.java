package io.qcowscope.engine.layout;

import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.image.BlockStatus;
import io.qcowscope.engine.image.ImageLayer;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.image.ScanLayer;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest map of an image through its backing chain, computed as {@code qemu-img map} does (spec 6.1): for each range, ask
 * the top layer, and go down the chain while a layer neither holds data nor reads as zero; merge neighbours that agree.
 * Streams extents to a sink, so memory does not grow with the disk.
 */
public final class GuestMapper {
    /** qemu-img probes at most 1 GiB at a time. */
    private static final long PROBE = 1L << 30;

    /** Receives extents in guest order. */
    @FunctionalInterface
    public interface Sink {
        void accept(GuestExtent e) throws IOException;
    }

    private GuestMapper() {
    }

    public static List<GuestExtent> map(ImageLayer top) throws IOException {
        List<GuestExtent> out = new ArrayList<>();
        map(top, 0, top.virtualSize(), out::add, ProgressMonitor.NONE);
        return out;
    }

    /** Maps {@code [start, end)} of the guest disk. */
    public static void map(ImageLayer top, long start, long end, Sink sink, ProgressMonitor monitor)
            throws IOException {
        requireChainOpen(top);
        try (ScanLayer scan = ScanLayer.of(top, start)) {
            map(scan, start, Math.min(end, top.virtualSize()), sink, monitor);
        }
    }

    /** The walk itself, over the top layer read ahead in guest order. */
    private static void map(ScanLayer top, long start, long end, Sink sink, ProgressMonitor monitor)
            throws IOException {
        GuestExtent curr = new GuestExtent(start, 0, 0, false, false, false, -1);
        long steps = 0;
        while (curr.end() < end) {
            long offset = curr.end();
            GuestExtent next = status(top, offset, Math.min(PROBE, end - offset));
            if (curr.mergeableWith(next)) {
                curr = curr.extendedBy(next.length());
            } else {
                if (curr.length() > 0) {
                    sink.accept(curr);
                }
                curr = next;
            }
            if ((++steps & 1023) == 0) {
                monitor.checkCancelled();
                monitor.progress(offset - start, end - start);
            }
        }
        if (curr.length() > 0) {
            sink.accept(curr);
        }
        monitor.progress(end - start, end - start);
    }

    /** Told about each layer {@link #status} asks, in order: for step-through views ({@link ReadWalk}). */
    interface LayerProbe {
        LayerProbe NONE = new LayerProbe() {
        };

        /** Layer {@code depth} is about to be asked. */
        default void asking(int depth, ImageLayer layer) throws IOException {
        }

        /** What layer {@code depth} answered. */
        default void answered(int depth, BlockStatus status) {
        }
    }

    /** qemu-img's get_block_status: walk down the chain until a layer decides. */
    static GuestExtent status(ImageLayer top, long offset, long bytes) throws IOException {
        return status(top, offset, bytes, LayerProbe.NONE);
    }

    static GuestExtent status(ImageLayer top, long offset, long bytes, LayerProbe probe) throws IOException {
        int depth = 0;
        ImageLayer layer = top;
        BlockStatus st;
        while (true) {
            probe.asking(depth, layer);
            st = layer.blockStatus(offset, bytes);
            probe.answered(depth, st);
            if (st.length() <= 0) {
                throw new Qcow2FormatException(Structure.BLOCK_STATUS, -1, "layer '" + layer.filename()
                        + "' gives no status at guest offset " + offset);
            }
            bytes = st.length();
            if (st.zero() || st.data()) {
                break;
            }
            ImageLayer below = layer.backing();
            if (below == null) {
                st = new BlockStatus(bytes, false, false, false, -1, st.type(), false);
                break;
            }
            layer = below;
            depth++;
        }
        return new GuestExtent(offset, bytes, depth, st.allocated(), st.zero(), st.data(), st.hostOffset());
    }

    /** A map is meaningless through a chain with a missing link: refuse, as qemu-img refuses to open such an image. */
    static void requireChainOpen(ImageLayer top) throws IOException {
        for (ImageLayer l = top; l != null; l = l.backing()) {
            if (l instanceof Qcow2Image q) {
                if (q.backingFileName() != null && q.backing() == null) {
                    if (q.backingError() != null) {
                        throw q.backingError();
                    }
                    throw new Qcow2FormatException(Structure.BACKING_FILE, q.header().backingFileOffset(), "backing file '"
                            + q.backingFileName()
                            + "' is not open");
                }
                if (q.hasDataFile() && q.dataStorage() == null && q.dataFileError() != null) {
                    throw q.dataFileError();
                }
            }
        }
    }
}

package io.qcowscope.engine.layout;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.image.BlockStatus;
import io.qcowscope.engine.image.ImageLayer;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.GuestOffset;
import io.qcowscope.engine.mapping.ResolutionTrace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How one guest offset is read, layer by layer (spec B.1, 2.4, 6.1): the resolver's steps in each qcow2 layer it asks and
 * that layer's block status, down the backing chain until a layer decides, with {@code qemu-img map}'s answer for the
 * offset. Recorded from the code that builds the guest map ({@link GuestMapper}) and reads ({@code GuestResolver}), so a
 * step-through view cannot disagree with them.
 *
 * @param layers the layers asked, top first
 * @param answer the map extent from the offset on as {@code qemu-img map} reports it (start = the offset); null when a
 *               layer refused the offset ({@code error})
 */
public record ReadWalk(GuestOffset guest, List<Layer> layers, GuestExtent answer, Qcow2Exception error) {

    /**
     * One layer asked.
     *
     * @param geometry the layer's geometry; null for a raw layer
     * @param dataFile its data clusters live in an external data file (spec 2.5)
     * @param backingSize the virtual size of its backing layer, or -1 when it has none
     * @param trace    the resolver's steps in a qcow2 layer (null for a raw layer, or an offset past the layer's end)
     * @param status   what the layer answered; null when it refused the offset
     */
    public record Layer(int depth, String filename, String format, long virtualSize, Geometry geometry,
            boolean dataFile, long backingSize, ResolutionTrace trace, BlockStatus status) {

        Layer answered(BlockStatus s) {
            return new Layer(depth, filename, format, virtualSize, geometry, dataFile, backingSize, trace, s);
        }
    }

    /** Walks {@code offset} (inside the disk) through {@code top}'s chain. */
    public static ReadWalk of(ImageLayer top, long offset) throws IOException {
        if (offset < 0 || offset >= top.virtualSize()) {
            throw new IllegalArgumentException("guest offset " + offset + " is outside the disk of "
                    + top.virtualSize() + " bytes");
        }
        GuestMapper.requireChainOpen(top);
        GuestOffset g = GuestOffset.of(offset);
        List<Layer> layers = new ArrayList<>();
        GuestMapper.LayerProbe probe = new GuestMapper.LayerProbe() {
            @Override
            public void asking(int depth, ImageLayer layer) throws IOException {
                Qcow2Image q = layer instanceof Qcow2Image i ? i : null;
                ResolutionTrace t = q != null && offset < q.virtualSize() ? q.resolver().trace(g) : null;
                layers.add(new Layer(depth, layer.filename(), layer.formatName(), layer.virtualSize(),
                        q == null ? null : q.geometry(), q != null && q.hasDataFile(),
                        layer.backing() == null ? -1 : layer.backing().virtualSize(), t, null));
            }

            @Override
            public void answered(int depth, BlockStatus status) {
                layers.set(depth, layers.get(depth).answered(status));
            }
        };
        try {
            GuestExtent e = GuestMapper.status(top, offset, top.virtualSize() - offset, probe);
            return new ReadWalk(g, List.copyOf(layers), e, null);
        } catch (Qcow2Exception e) {
            return new ReadWalk(g, List.copyOf(layers), null, e);
        }
    }

    /** The layer that decided the answer. */
    public Layer deciding() {
        return answer == null ? layers.get(layers.size() - 1) : layers.get(answer.depth());
    }
}

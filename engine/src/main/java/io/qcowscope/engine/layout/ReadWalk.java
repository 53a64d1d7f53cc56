package io.qcowscope.engine.layout;

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
     * @param trace  the resolver's steps in a qcow2 layer; null for a raw layer
     * @param status what the layer answered; null when it refused the offset
     */
    public record Layer(int depth, String filename, String format, long virtualSize, ResolutionTrace trace,
            BlockStatus status) {
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
                ResolutionTrace t = layer instanceof Qcow2Image q && offset < q.virtualSize()
                        ? q.resolver().trace(g) : null;
                layers.add(new Layer(depth, layer.filename(), layer.formatName(), layer.virtualSize(), t, null));
            }

            @Override
            public void answered(int depth, BlockStatus status) {
                Layer l = layers.get(depth);
                layers.set(depth, new Layer(depth, l.filename(), l.format(), l.virtualSize(), l.trace(), status));
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

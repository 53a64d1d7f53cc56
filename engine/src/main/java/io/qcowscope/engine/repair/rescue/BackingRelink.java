package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.HeaderExtensionCodec;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.FileTrustPolicy;
import io.qcowscope.engine.image.ImageChain;
import io.qcowscope.engine.image.ImageLayer;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.storage.FileStorage;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A backing file that is missing or forms a loop (issue 14): offered, never by default, the backing file the user names
 * (checked: qcow2 or raw by its magic, the image's virtual size, no loop back to the image), or dropping the link (the
 * guest then reads zeros where it read the backing file). Both change what the guest reads.
 */
final class BackingRelink {
    private BackingRelink() {
    }

    /** Why the backing link is broken, or null when it is not (or the image has none). */
    static String broken(Storage view, Path image, Qcow2Image img) throws IOException {
        String name = img.backingFileName();
        if (name == null || image == null || FileTrustPolicy.isProtocolSpec(name)) {
            return null;
        }
        Path p = FileTrustPolicy.resolveName(image, name);
        if (!Files.exists(p)) {
            return "the backing file '" + name + "' (" + p + ") does not exist";
        }
        try (Qcow2Image chained = ImageChain.open(view, image.toString(), image, OpenOptions.readOnly()
                .withCheckMode(true).withProbeBackingFormat(true))) {
            // A loop is found where the chain comes back to a file already open; that layer keeps the error.
            for (ImageLayer l = chained; l instanceof Qcow2Image q; l = l.backing()) {
                Qcow2Exception e = q.backingError();
                if (e != null && e.getMessage() != null && e.getMessage().contains("infinite loop")) {
                    return "the backing chain loops: " + e.getMessage();
                }
            }
        }
        return null;
    }

    static void plan(Storage view, Path image, Qcow2Image img, Path newBacking, FixList out) throws IOException {
        String why = broken(view, image, img);
        if (why == null) {
            return;
        }
        Qcow2Header h = img.header();
        int repoint = -1;
        if (newBacking != null) {
            List<Patch> p = repoint(img, image, newBacking);
            repoint = out.add(FixKind.REPOINT_BACKING, "header.backing_file", h.backingFileOffset(), p, null,
                    why + "; the guest then reads " + newBacking + " where it read the old backing file "
                            + "(checked: format, virtual size " + img.virtualSize() + ", no loop)", 0,
                    img.virtualSize(), -1, false);
        }
        byte[] before = img.storage().read(8, 12);
        out.add(FixKind.DROP_BACKING, "header: backing_file_offset, backing_file_size", 8,
                List.of(new Patch(8, before, new byte[12], HostClusterRole.HEADER)), null, why
                        + "; without the link the guest reads zeros where it read the backing file", 0,
                img.virtualSize(), repoint, false);
    }

    /** The header bytes that name {@code target} as the backing file, after checking it. */
    private static List<Patch> repoint(Qcow2Image img, Path image, Path target) throws IOException {
        Path real = target.toAbsolutePath().normalize();
        if (!Files.isRegularFile(real)) {
            throw new Qcow2FormatException(Structure.BACKING_FILE, -1, "the backing file " + target + " does not exist");
        }
        String format;
        long size;
        try (Storage s = FileStorage.openReadOnly(real)) {
            format = ByteBuffer.wrap(s.read(0, 4)).getInt() == Qcow2Header.MAGIC ? "qcow2" : "raw";
            size = s.size();
        }
        if (format.equals("qcow2")) {
            try (Qcow2Image b = Qcow2Image.open(real, OpenOptions.readOnly().withProbeBackingFormat(true))) {
                size = b.virtualSize();
                Path self = image.toRealPath();
                for (ImageLayer l = b; l != null; l = l.backing()) {
                    if (l instanceof Qcow2Image q && q.path() != null && q.path().toRealPath().equals(self)) {
                        throw new Qcow2FormatException(Structure.BACKING_FILE, -1, "the backing file " + target
                                + " has the image itself in its backing chain: a loop");
                    }
                }
            }
        }
        if (size != img.virtualSize()) {
            throw new Qcow2FormatException(Structure.BACKING_FILE, -1, "the backing file " + target + " (" + format
                    + ") has virtual size " + size + ", the image " + img.virtualSize());
        }
        Path dir = image.toAbsolutePath().getParent();
        String name = real.startsWith(dir) ? dir.relativize(real).toString() : real.toString();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        Qcow2Header h = img.header();
        long at = h.backingFileOffset();
        int oldLen = (int) h.backingFileSize();
        int len = Math.max(oldLen, bytes.length);
        if (bytes.length > 1023 || at + len > h.clusterSize()) {
            throw new Qcow2FormatException(Structure.BACKING_FILE, at, "the name " + name + " does not fit in the "
                    + "header cluster");
        }
        List<Patch> p = new ArrayList<>();
        byte[] after = new byte[len];
        System.arraycopy(bytes, 0, after, 0, bytes.length);
        p.add(new Patch(at, img.storage().read(at, len), after, HostClusterRole.HEADER));
        p.add(new Patch(16, img.storage().read(16, 4), ByteBuffer.allocate(4).putInt(bytes.length).array(),
                HostClusterRole.HEADER));
        Patch fmt = formatExtension(img, format);
        if (fmt != null) {
            p.add(fmt);
        }
        return p;
    }

    /** The backing format extension rewritten for {@code format} when it names another one (its record keeps its size). */
    private static Patch formatExtension(Qcow2Image img, String format) throws IOException {
        if (format.equals(img.backingFormat()) || img.backingFormat() == null) {
            return null;
        }
        Qcow2Header h = img.header();
        long off = HeaderExtensionCodec.areaStart(h);
        long end = HeaderExtensionCodec.areaEnd(h);
        while (off + 8 <= end) {
            ByteBuffer prefix = ByteBuffer.wrap(img.storage().read(off, 8));
            int type = prefix.getInt(0);
            long len = prefix.getInt(4) & 0xFFFFFFFFL;
            if (type == HeaderExtension.TYPE_END) {
                return null;
            }
            long padded = (len + 7) & ~7L;
            if (type == HeaderExtension.TYPE_BACKING_FORMAT) {
                byte[] name = format.getBytes(StandardCharsets.US_ASCII);
                if (name.length > padded) {
                    return null;
                }
                byte[] before = img.storage().read(off + 4, (int) (4 + padded));
                ByteBuffer after = ByteBuffer.allocate((int) (4 + padded));
                after.putInt(name.length).put(name);
                return new Patch(off + 4, before, after.array(), HostClusterRole.HEADER);
            }
            off += 8 + padded;
        }
        return null;
    }
}

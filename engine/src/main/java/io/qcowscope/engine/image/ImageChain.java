package io.qcowscope.engine.image;

import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.FeatureWord;
import io.qcowscope.engine.format.HeaderCodec;
import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.HeaderExtensionCodec;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.Qcow2IoException;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.format.SnapshotTableCodec;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.format.UnsupportedImageException;
import io.qcowscope.engine.storage.ClusterBuffers;
import io.qcowscope.engine.storage.FileStorage;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Opens images and links them to their backing and data files through the trust gate, with loop detection and a depth
 * bound (spec section 8).
 */
public final class ImageChain {
    /** Bytes read first: every header field decoded from them (a v3 header is 112 bytes, extensions follow). */
    private static final int HEADER_PROBE = 4096;

    private ImageChain() {
    }

    /** What an image is linked to; errors say why a named file was not opened. */
    record Linked(ImageLayer backing, Qcow2Exception backingError, Storage dataStorage, Qcow2Exception dataFileError) {
    }

    /** Files already open on the way down the chain, to detect loops. */
    static final class Visit {
        private final Set<Path> seen = new HashSet<>();
        private final int depth;

        Visit(int depth) {
            this.depth = depth;
        }

        Visit deeper() {
            Visit v = new Visit(depth + 1);
            v.seen.addAll(seen);
            return v;
        }
    }

    public static Qcow2Image openQcow2(Path path, OpenOptions options) throws IOException {
        return openQcow2(path, path.toString(), options, new Visit(0));
    }

    static Qcow2Image openQcow2(Path path, String filename, OpenOptions options, Visit visit) throws IOException {
        remember(visit, path, filename);
        Storage s = openStorage(path, options.writable(), Structure.IMAGE_FILE);
        try {
            return load(s, filename, path, options, visit);
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            throw asQcow2(e);
        }
    }

    /** Opens an image held in any storage (memory in tests); backing files are resolved against {@code path} when given. */
    public static Qcow2Image open(Storage storage, String filename, Path path, OpenOptions options) throws IOException {
        try {
            return load(storage, filename, path, options, new Visit(0));
        } catch (IOException | RuntimeException e) {
            throw asQcow2(e);
        }
    }

    private static Qcow2Exception asQcow2(Exception e) {
        if (e instanceof Qcow2Exception q) {
            return q;
        }
        if (e instanceof IOException io) {
            return new Qcow2IoException(Structure.IMAGE_FILE, -1, io);
        }
        return new Qcow2FormatException(Structure.IMAGE, -1, "unexpected " + e.getClass().getSimpleName() + ": "
                + e.getMessage(), e);
    }

    private static Qcow2Image load(Storage s, String filename, Path path, OpenOptions options, Visit visit)
            throws IOException {
        long fileSize = s.size();
        // The header's fields are in its first bytes: a probe gives the cluster size, then cluster 0 (header and
        // extensions) is read once at its own size, not a 2 MiB read for every image of a pool.
        byte[] probe = s.read(0, (int) Math.min(fileSize, HEADER_PROBE));
        Qcow2Header h = HeaderCodec.decode(probe, options.checkMode());
        int cluster0Length = (int) Math.min(fileSize, h.clusterSize());
        byte[] cluster0 = probe;
        if (cluster0Length != probe.length) {
            cluster0 = ClusterBuffers.bytes(cluster0Length); // handed back below: every decoded field is a copy
            System.arraycopy(probe, 0, cluster0, 0, Math.min(probe.length, cluster0Length));
            if (cluster0Length > probe.length) {
                s.read(probe.length, cluster0, probe.length, cluster0Length - probe.length);
            }
            h = HeaderCodec.decode(cluster0, options.checkMode());
        }
        List<HeaderExtension> extensions = HeaderExtensionCodec.decode(cluster0, h);
        rejectUnknownIncompatible(h, extensions);
        if (h.corrupt() && options.writable() && !options.checkMode()) {
            throw new Qcow2FormatException(Structure.HEADER, 72, "Image is corrupt; cannot be opened read/write");
        }
        String backingName = null;
        if (h.backingFileOffset() != 0) {
            int off = (int) h.backingFileOffset();
            int len = (int) h.backingFileSize();
            byte[] name = new byte[len];
            System.arraycopy(cluster0, Math.min(off, cluster0.length), name, 0,
                    Math.max(0, Math.min(len, cluster0.length - off)));
            backingName = new String(name, StandardCharsets.UTF_8);
        }
        if (cluster0 != probe) {
            ClusterBuffers.give(cluster0);
        }
        long[] l1 = Words.read(s, h.l1TableOffset(), (int) h.l1Size());
        // Up to the last entry in use: RefcountReader knows the table's size (a small image's table is mostly
        // zeros).
        long[] reftable = Words.readInUse(s, h.refcountTableOffset(),
                (int) (h.refcountTableClusters() * h.clusterSize() / 8));
        List<SnapshotEntry> snapshots = List.of();
        Qcow2Exception snapshotError = null;
        if (h.nbSnapshots() > 0) {
            try {
                snapshots = SnapshotTableCodec.decode(s::read, h.snapshotsOffset(), h.nbSnapshots(), h.size() & ~511L,
                        options.checkMode());
            } catch (Qcow2Exception e) {
                if (!options.checkMode()) {
                    throw e;
                }
                snapshotError = e;
            }
        }
        Linked linked = link(h, extensions, backingName, path, options, visit);
        return new Qcow2Image(s, filename, path, options, h, extensions, backingName, l1, reftable, snapshots,
                snapshotError, linked);
    }

    private static void rejectUnknownIncompatible(Qcow2Header h, List<HeaderExtension> extensions)
            throws UnsupportedImageException {
        long unknown = h.incompatibleFeatures() & ~FeatureBit.KNOWN_INCOMPATIBLE_MASK;
        if (unknown == 0) {
            return;
        }
        HeaderExtension.FeatureNameTable table = null;
        for (HeaderExtension e : extensions) {
            if (e instanceof HeaderExtension.FeatureNameTable t) {
                table = t;
            }
        }
        List<String> names = new ArrayList<>();
        long unnamed = unknown;
        for (int b = 0; b < 64; b++) {
            if ((unknown & (1L << b)) != 0 && table != null) {
                String n = table.nameOf(FeatureWord.INCOMPATIBLE, b);
                if (n != null) {
                    names.add(n);
                    unnamed &= ~(1L << b);
                }
            }
        }
        StringBuilder msg = new StringBuilder();
        if (!names.isEmpty()) {
            msg.append("Unsupported qcow2 feature(s): ").append(String.join(", ", names));
        }
        if (unnamed != 0) {
            if (msg.length() > 0) {
                msg.append("; ");
            }
            msg.append("Unknown incompatible feature: ").append(Long.toHexString(unnamed));
        }
        throw new UnsupportedImageException(Structure.HEADER, 72, msg.toString());
    }

    private static Linked link(Qcow2Header h, List<HeaderExtension> extensions, String backingName, Path path,
            OpenOptions options, Visit visit) {
        ImageLayer backing = null;
        Qcow2Exception backingError = null;
        if (backingName != null && options.openBackingChain()) {
            try {
                backing = openBacking(backingName, formatOf(extensions), path, options, visit);
            } catch (IOException | RuntimeException e) {
                backingError = asBackingError(e, backingName);
            }
        }
        Storage data = null;
        Qcow2Exception dataError = null;
        if (h.externalDataFile()) {
            String name = null;
            for (HeaderExtension e : extensions) {
                if (e instanceof HeaderExtension.DataFileName d) {
                    name = d.name();
                }
            }
            try {
                if (name == null) {
                    throw new Qcow2FormatException(Structure.HEADER, 72, "'data-file' is required for this image");
                }
                if (path == null) {
                    throw new UntrustedFileException(Structure.DATA_FILE, name, "cannot resolve data file '" + name
                            + "' of an image that is not a file");
                }
                if (!options.openBackingChain()) {
                    throw new UntrustedFileException(Structure.DATA_FILE, name, "not opening data file '" + name
                            + "': following files named by images is off");
                }
                Path p = options.trust().admit(path, name, Structure.DATA_FILE);
                data = openStorage(p, options.writable(), Structure.DATA_FILE);
            } catch (IOException | RuntimeException e) {
                dataError = asBackingError(e, name);
            }
        }
        return new Linked(backing, backingError, data, dataError);
    }

    private static Qcow2Exception asBackingError(Exception e, String name) {
        if (e instanceof Qcow2Exception q) {
            return q;
        }
        if (e instanceof IOException io) {
            return Qcow2IoException.inFile("file '" + name + "'", -1, io);
        }
        return Qcow2FormatException.inFile("file '" + name + "'", -1, e.toString(), e);
    }

    private static String formatOf(List<HeaderExtension> extensions) {
        for (HeaderExtension e : extensions) {
            if (e instanceof HeaderExtension.BackingFormat f) {
                return f.format();
            }
        }
        return null;
    }

    private static ImageLayer openBacking(String name, String format, Path imagePath, OpenOptions options, Visit visit)
            throws IOException {
        if (imagePath == null) {
            throw new UntrustedFileException(Structure.BACKING_FILE, name, "cannot resolve backing file '" + name
                    + "' of an image that is not a file");
        }
        Path p = options.trust().admit(imagePath, name, Structure.BACKING_FILE);
        Visit next = visit.deeper();
        if (next.depth > options.maxChainDepth()) {
            throw new Qcow2FormatException(Structure.BACKING_FILE, -1, "backing chain is deeper than "
                    + options.maxChainDepth() + " images at '" + name + "'");
        }
        String display = FileTrustPolicy.resolveName(imagePath, name).toString();
        if (format == null) {
            if (!options.probeBackingFormat()) {
                throw new UntrustedFileException(Structure.BACKING_FILE, name, "the image does not record the format of backing "
                        + "file '" + name + "'; allow format probing to open it");
            }
            format = probe(p);
        }
        // Backing files are opened read-only even under a writable image.
        OpenOptions backingOptions = options.withWritable(false).withCheckMode(false);
        switch (format) {
            case "qcow2":
                return openQcow2(p, display, backingOptions, next);
            case "raw":
                remember(next, p, display);
                return new RawImage(openStorage(p, false, Structure.BACKING_FILE), display);
            default:
                throw new UnsupportedImageException(Structure.BACKING_FILE, -1, "backing file format '" + format
                        + "' is not supported (qcow2 and raw are)");
        }
    }

    private static String probe(Path p) throws IOException {
        try (Storage s = openStorage(p, false, Structure.BACKING_FILE)) {
            byte[] magic = s.read(0, 4);
            return ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt() == Qcow2Header.MAGIC ? "qcow2" : "raw";
        }
    }

    private static void remember(Visit visit, Path p, String display) throws Qcow2FormatException {
        Path key;
        try {
            key = p.toRealPath();
        } catch (IOException e) {
            key = p.toAbsolutePath().normalize();
        }
        if (!visit.seen.add(key)) {
            throw new Qcow2FormatException(Structure.BACKING_FILE, -1, "Backing file '" + display
                    + "' creates an infinite loop.");
        }
    }

    private static Storage openStorage(Path p, boolean writable, Structure what) throws Qcow2IoException {
        try {
            return writable ? FileStorage.openReadWrite(p) : FileStorage.openReadOnly(p);
        } catch (NoSuchFileException e) {
            throw new Qcow2IoException(what, -1, "Could not open '" + p + "': No such file or directory");
        } catch (AccessDeniedException e) {
            throw new Qcow2IoException(what, -1, "Could not open '" + p + "': Permission denied");
        } catch (IOException e) {
            throw new Qcow2IoException(what, -1, e);
        }
    }


    private static void closeQuietly(Storage s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the open already failed; its error is the one to report
        }
    }
}

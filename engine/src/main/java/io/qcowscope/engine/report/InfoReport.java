package io.qcowscope.engine.report;

import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.ImageLayer;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.image.RawImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts of {@code qemu-img info --output=json} (QEMU 7.2, spec 6.2) as a JSON-shaped tree of maps, lists and scalars,
 * with qemu-img's keys and omission rules. Facts of ours go under the extra key {@value #EXTRA_KEY}.
 */
public final class InfoReport {
    public static final String EXTRA_KEY = "qcowscope";

    private InfoReport() {
    }

    /** Info of one layer. */
    public static Map<String, Object> of(ImageLayer layer) throws IOException {
        if (layer instanceof Qcow2Image q) {
            return ofQcow2(q);
        }
        RawImage raw = (RawImage) layer;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("virtual-size", raw.virtualSize());
        m.put("filename", raw.filename());
        m.put("format", "raw");
        m.put("actual-size", raw.storage().allocatedBytes());
        m.put("dirty-flag", false);
        return m;
    }

    /** Info of every layer from the top down, as {@code --backing-chain}; a missing link is an error. */
    public static List<Map<String, Object>> chain(ImageLayer top) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        String name = null;
        for (ImageLayer l = top; l != null; l = l.backing()) {
            Map<String, Object> m = of(l);
            if (name != null) {
                // QEMU names a backing layer by the path it opened: the backing name combined with the overlay's
                // directory as the overlay was named (block.c bdrv_get_full_backing_filename), not an absolute path.
                m.put("filename", name);
            }
            out.add(m);
            if (l instanceof Qcow2Image q && q.backingFileName() != null) {
                if (q.backing() == null && q.backingError() != null) {
                    throw q.backingError();
                }
                name = fullBackingFilename(String.valueOf(m.get("filename")), q.backingFileName());
            }
        }
        return out;
    }

    private static Map<String, Object> ofQcow2(Qcow2Image img) throws IOException {
        Qcow2Header h = img.header();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("virtual-size", img.virtualSize());
        m.put("filename", img.filename());
        m.put("cluster-size", h.clusterSize());
        m.put("format", "qcow2");
        m.put("actual-size", img.storage().allocatedBytes());
        if (img.encrypted()) {
            m.put("encrypted", true);
        }
        if (img.backingFileName() != null) {
            m.put("backing-filename", img.backingFileName());
            m.put("full-backing-filename", fullBackingFilename(img.filename(), img.backingFileName()));
            if (img.backingFormat() != null) {
                m.put("backing-filename-format", img.backingFormat());
            }
        }
        if (!img.snapshots().isEmpty()) {
            List<Object> snaps = new ArrayList<>();
            for (SnapshotEntry s : img.snapshots()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("id", s.id());
                sm.put("name", s.name());
                sm.put("vm-state-size", s.vmStateSize());
                sm.put("date-sec", s.dateSec());
                sm.put("date-nsec", s.dateNsec());
                sm.put("vm-clock-sec", Long.divideUnsigned(s.vmClockNsec(), 1_000_000_000L));
                sm.put("vm-clock-nsec", Long.remainderUnsigned(s.vmClockNsec(), 1_000_000_000L));
                if (s.icount() != -1) {
                    sm.put("icount", s.icount());
                }
                snaps.add(sm);
            }
            m.put("snapshots", snaps);
        }
        m.put("format-specific", Map.of("type", "qcow2", "data", formatSpecific(img)));
        m.put("dirty-flag", h.dirty());
        m.put(EXTRA_KEY, extra(img));
        return m;
    }

    /** QEMU's path_combine: a relative name is taken relative to the directory part of the image's name as given. */
    public static String fullBackingFilename(String imageName, String backing) {
        if (backing.startsWith("/")) {
            return backing;
        }
        int slash = imageName.lastIndexOf('/');
        return slash < 0 ? backing : imageName.substring(0, slash + 1) + backing;
    }

    private static Map<String, Object> formatSpecific(Qcow2Image img) throws IOException {
        Qcow2Header h = img.header();
        Map<String, Object> d = new LinkedHashMap<>();
        if (h.version() == 2) {
            d.put("compat", "0.10");
            d.put("compression-type", h.compressionType().qemuName());
            d.put("refcount-bits", h.refcountBits());
            return d;
        }
        d.put("compat", "1.1");
        d.put("compression-type", h.compressionType().qemuName());
        d.put("lazy-refcounts", h.lazyRefcounts());
        List<BitmapDirectoryEntry> bitmaps = img.bitmaps();
        if (!bitmaps.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (BitmapDirectoryEntry b : bitmaps) {
                Map<String, Object> bm = new LinkedHashMap<>();
                List<String> flags = new ArrayList<>();
                if (b.inUse()) {
                    flags.add("in-use");
                }
                if (b.auto()) {
                    flags.add("auto");
                }
                bm.put("flags", flags);
                bm.put("name", b.name());
                bm.put("granularity", b.granularity());
                list.add(bm);
            }
            d.put("bitmaps", list);
        }
        d.put("refcount-bits", h.refcountBits());
        d.put("corrupt", h.corrupt());
        d.put("extended-l2", h.extendedL2());
        if (img.dataFileName() != null) {
            d.put("data-file", img.dataFileName());
        }
        if (h.externalDataFile()) {
            d.put("data-file-raw", h.has(FeatureBit.RAW_EXTERNAL_DATA));
        }
        if (img.encrypted()) {
            d.put("encrypt", h.cryptMethod() == 1 ? Map.of("format", "aes") : LuksInfo.of(img));
        }
        return d;
    }

    private static Map<String, Object> extra(Qcow2Image img) {
        Qcow2Header h = img.header();
        Geometry g = img.geometry();
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("version", h.version());
        x.put("header-length", h.version() == 2 ? Qcow2Header.V2_LENGTH : h.headerLength());
        List<Object> features = new ArrayList<>();
        for (Qcow2Header.SetFeature f : h.setFeatures()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("word", f.word().label());
            fm.put("bit", f.bit());
            fm.put("name", f.known() != null ? f.known().qemuName() : "unknown");
            features.add(fm);
        }
        x.put("feature-bits", features);
        List<Object> exts = new ArrayList<>();
        for (HeaderExtension e : img.extensions()) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("offset", e.offset());
            em.put("type", String.format("0x%08x", e.type()));
            em.put("kind", e.kind());
            em.put("length", e.length());
            exts.add(em);
        }
        x.put("extensions", exts);
        long l2Tables = 0;
        for (int i = 0; i < img.l1Size(); i++) {
            if (L1Entry.l2Offset(img.l1Entry(i)) != 0) {
                l2Tables++;
            }
        }
        Map<String, Object> l1 = new LinkedHashMap<>();
        l1.put("offset", h.l1TableOffset());
        l1.put("entries", h.l1Size());
        l1.put("bytes", h.l1Size() * 8);
        x.put("l1-table", l1);
        Map<String, Object> l2 = new LinkedHashMap<>();
        l2.put("entry-size", g.l2EntrySize());
        l2.put("entries-per-table", g.l2Entries());
        l2.put("tables", l2Tables);
        l2.put("bytes", l2Tables * g.clusterSize());
        x.put("l2-tables", l2);
        Map<String, Object> rt = new LinkedHashMap<>();
        rt.put("offset", h.refcountTableOffset());
        rt.put("clusters", h.refcountTableClusters());
        rt.put("refcount-bits", h.refcountBits());
        x.put("refcount-table", rt);
        // QEMU needs one L2 entry per guest cluster in its cache to cover the whole disk.
        x.put("l2-cache-for-full-coverage", g.clustersFor(img.virtualSize()) * g.l2EntrySize());
        x.put("subcluster-size", g.subclusterSize());
        x.put("file-length", safeSize(img));
        return x;
    }

    private static long safeSize(Qcow2Image img) {
        try {
            return img.storage().size();
        } catch (IOException e) {
            return -1;
        }
    }
}

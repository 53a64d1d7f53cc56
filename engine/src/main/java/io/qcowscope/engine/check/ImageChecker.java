package io.qcowscope.engine.check;

import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.BitmapTableEntry;
import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.AllocationCounter;
import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code qemu-img check} without repair, counting exactly as QEMU 7.2 does (spec section 5, Appendix B.2): the snapshot
 * table phase, the in-memory refcount table built from every structure, the refcount-structure checks, the comparison
 * with on-disk refcounts one cluster at a time, and the OFLAG_COPIED rule. One streaming pass over the metadata; memory is
 * about one byte per host cluster plus a few bits.
 */
public final class ImageChecker {
    /** At most this many findings are kept (counters stay exact). */
    public static final int MAX_FINDINGS = 10_000;

    private ImageChecker() {
    }

    /** Checks an image opened in check mode ({@code OpenOptions.withCheckMode(true)}). */
    public static CheckResult check(Qcow2Image img, ProgressMonitor monitor) throws IOException {
        return check(img, monitor, null);
    }

    /** Checks and feeds every counted reference to {@code listener} (the host layout's single pass). */
    public static CheckResult check(Qcow2Image img, ProgressMonitor monitor, ClaimListener listener)
            throws IOException {
        return new Run(img, monitor, listener, false).run();
    }

    /**
     * Like {@link #check(Qcow2Image, ProgressMonitor, ClaimListener)}, but goes on where qemu-img gives up (an unreadable
     * snapshot table is then taken as empty, an invalid bitmap table as QEMU's check would count it), so a layout of a
     * damaged image is still complete. The findings say what was wrong; the verdict may differ from qemu-img's.
     */
    public static CheckResult checkTolerant(Qcow2Image img, ProgressMonitor monitor, ClaimListener listener)
            throws IOException {
        return new Run(img, monitor, listener, true).run();
    }

    private static final class Run {
        private final Qcow2Image img;
        private final ProgressMonitor monitor;
        private final ClaimListener listener;
        private final Qcow2Header h;
        private final Geometry geo;
        private final Storage storage;
        private final Findings findings = new Findings(MAX_FINDINGS);
        private final Findings copied = new Findings(MAX_FINDINGS);
        private final Findings warnings = new Findings(MAX_FINDINGS);
        private final AllocationCounter stats;
        private boolean rebuild;
        private long imageEnd;

        private final boolean tolerant;

        Run(Qcow2Image img, ProgressMonitor monitor, ClaimListener listener, boolean tolerant) {
            this.tolerant = tolerant;
            this.img = img;
            this.monitor = monitor;
            this.listener = listener;
            this.h = img.header();
            this.geo = img.geometry();
            this.storage = img.storage();
            this.stats = new AllocationCounter(geo.clusterSize());
        }

        CheckResult run() throws IOException {
            headerWarnings();
            String failure = null;
            try {
                if (!tolerant) {
                    bitmapsLoadable();
                }
                SnapshotTableCheck.Table snapshots;
                try {
                    snapshots = SnapshotTableCheck.read(img, findings);
                } catch (CheckAbort e) {
                    if (!tolerant) {
                        throw e;
                    }
                    snapshots = new SnapshotTableCheck.Table(List.of(), 0);
                }
                checkRefcounts(snapshots);
            } catch (CheckAbort e) {
                failure = e.getMessage();
            }
            findings.addAll(copied);
            Findings all = findings;
            all.addAll(warnings);
            long total = geo.clustersFor(img.virtualSize());
            AllocationCounter.Figures figures = stats.figures();
            return new CheckResult(failure == null, failure, all.corruptions, all.leaks, all.checkErrors, imageEnd,
                    total, figures.allocated(), figures.fragmented(), figures.compressed(), rebuild,
                    List.copyOf(all.list()), all.dropped);
        }

        private void headerWarnings() {
            if (h.corrupt()) {
                warnings.add(Finding.of(FindingKind.CORRUPT_BIT_SET, "header.incompatible_features bit 1",
                        "WARNING the corrupt bit is set: QEMU refuses to open the image read/write")
                        .at(72).expected(0L).found(1L));
            }
            if (h.dirty()) {
                warnings.add(Finding.of(FindingKind.DIRTY_BIT_SET, "header.incompatible_features bit 0",
                        "WARNING the dirty bit is set: refcounts may be stale (lazy refcounts, spec 4.3)")
                        .at(72).expected(0L).found(1L));
            }
        }

        /** QEMU's qcow2_check_refcounts without fixing (spec 5.2 to 5.4). */
        private void checkRefcounts(SnapshotTableCheck.Table snapshots) throws IOException, CheckAbort {
            long fileLength = storage.size();
            long nbClusters = geo.clustersFor(fileLength);
            if (nbClusters > Integer.MAX_VALUE - 8) {
                findings.add(Finding.of(FindingKind.IO_ERROR, "image file",
                        "ERROR the image file has more clusters than a check can count"));
                throw new CheckAbort("File too large");
            }
            // Trailing zero entries say what a missing entry says (no refcount block); the table's size is still counted.
            long[] reftable = img.refcounts().reftableInUse();
            CopiedMarks copiedMarks = new CopiedMarks(nbClusters);
            ReferenceCounter counter = new ReferenceCounter(geo.clusterBits(), fileLength, geo.refcountMax(),
                    (int) nbClusters, findings, warnings, listener);
            TableWalker walker = new TableWalker(storage, geo, img.hasDataFile(), counter, findings, copiedMarks,
                    stats, monitor);
            long l1Total = h.l1Size();
            for (SnapshotEntry s : snapshots.entries()) {
                l1Total += s.l1Size();
            }
            // Progress units: every L1 entry walked, then every chunk of refcounts compared.
            long compareUnits = nbClusters / RefcountComparison.PROGRESS_UNIT + 2;
            walker.progressTotal = l1Total + compareUnits;

            counter.inc(0, geo.clusterSize(), HostClusterRole.HEADER, Owner.NONE);
            walker.walkL1(0, "", h.l1TableOffset(), h.l1Size());
            List<SnapshotEntry> snaps = snapshots.entries();
            if (img.hasDataFile() && !snaps.isEmpty()) {
                findings.add(Finding.of(FindingKind.SNAPSHOTS_WITH_DATA_FILE, "snapshot table",
                        "ERROR " + snaps.size() + " snapshots in image with data file")
                        .at(h.snapshotsOffset()).expected(0L).found((long) snaps.size()));
            }
            for (SnapshotEntry s : snaps) {
                String name = "snapshot[" + s.index() + "]";
                if ((s.l1TableOffset() & geo.clusterMask()) != 0) {
                    findings.add(Finding.of(FindingKind.SNAPSHOT_L1_UNALIGNED, name,
                            String.format("ERROR snapshot %s (%s) l1_offset=%#x: L1 table is not cluster aligned; "
                                    + "snapshot table entry corrupted", s.id(), s.name(), s.l1TableOffset()))
                            .at(s.offset()).found(s.l1TableOffset()));
                    continue;
                }
                if (s.l1Size() > Limits.MAX_L1_ENTRIES) {
                    findings.add(Finding.of(FindingKind.SNAPSHOT_L1_TOO_LARGE, name,
                            String.format("ERROR snapshot %s (%s) l1_size=%#x: L1 table is too "
                                    + "large; snapshot table entry corrupted", s.id(), s.name(), s.l1Size()))
                            .at(s.offset() + 8).expected(Limits.MAX_L1_ENTRIES).found(s.l1Size()));
                    continue;
                }
                // COPIED bits in a snapshot's L1 are no finding: QEMU keeps them (spec 4.2; report.SnapshotNotes)
                walker.walkL1(s.index() + 1, name + " ", s.l1TableOffset(), s.l1Size());
            }
            walker.release();
            counter.inc(h.snapshotsOffset(), snapshots.bytes(), HostClusterRole.SNAPSHOT_TABLE, Owner.NONE);
            counter.inc(h.refcountTableOffset(), img.refcounts().reftableEntries() * 8L, HostClusterRole.REFCOUNT_TABLE,
                    Owner.NONE);
            for (HeaderExtension e : img.extensions()) {
                if (e instanceof HeaderExtension.FullDiskEncryption f && f.areaLength() != 0) {
                    counter.inc(f.areaOffset(), f.areaLength(), HostClusterRole.ENCRYPTION_HEADER, Owner.NONE);
                }
            }
            bitmaps(counter);

            RefcountComparison cmp = new RefcountComparison(storage, geo, h.refcountTableOffset(), reftable, counter,
                    findings);
            cmp.checkRefblocks();
            cmp.compare(monitor, copiedMarks, l1Total, l1Total + compareUnits);
            if (copiedMarks.recheck) {
                CopiedCheck.run(storage, geo, img.hasDataFile(), img.l1Table(), reftable, copied, monitor);
            }
            rebuild = cmp.rebuild;
            imageEnd = (cmp.highest + 1) * geo.clusterSize();
            cmp.refcountsPastEnd(warnings);
        }

        /**
         * QEMU loads every persistent bitmap's table when it opens the image (qcow2_load_dirty_bitmaps), so a bad
         * directory or an invalid table entry makes {@code qemu-img check} fail to open the image at all (exit 1).
         */
        private void bitmapsLoadable() throws IOException, CheckAbort {
            HeaderExtension.Bitmaps ext = img.bitmapsExtension();
            if (ext == null || !h.has(FeatureBit.BITMAPS) || ext.nbBitmaps() == 0) {
                return;
            }
            List<BitmapDirectoryEntry> list;
            try {
                list = img.bitmaps();
            } catch (Qcow2Exception e) {
                findings.add(Finding.of(FindingKind.BITMAP_DIRECTORY_INVALID, "bitmap directory",
                        "ERROR bitmap directory: " + e.getMessage()).at(ext.directoryOffset()));
                throw new CheckAbort("Could not open: " + e.getMessage());
            }
            for (BitmapDirectoryEntry b : list) {
                ByteBuffer t = ByteBuffer.wrap(storage.read(b.tableOffset(), (int) (b.tableSize() * 8)));
                for (int j = 0; j < b.tableSize(); j++) {
                    long entry = t.getLong(j * 8);
                    if (invalidBitmapEntry(entry)) {
                        findings.add(Finding.of(FindingKind.BITMAP_TABLE_ENTRY_INVALID,
                                "bitmap[" + b.index() + "] table[" + j + "]",
                                String.format(
                                        "ERROR bitmap '%s' table entry %d is invalid: 0x%x", b.name(), j, entry))
                                .at(b.tableOffset() + j * 8L).found(entry));
                        throw new CheckAbort("Could not open: Could not read bitmap_table table from image for "
                                + "bitmap '" + b.name() + "': Invalid argument");
                    }
                }
            }
        }

        /** QEMU's check_table_entry (spec 2.3): reserved bits, and with an offset: no all-ones flag, aligned. */
        private boolean invalidBitmapEntry(long entry) {
            long offset = entry & BitmapTableEntry.OFFSET_MASK;
            return (entry & BitmapTableEntry.RESERVED_MASK) != 0 || (offset != 0
                    && ((entry & BitmapTableEntry.ALL_ONES) != 0 || (offset & geo.clusterMask()) != 0));
        }

        /** QEMU's qcow2_check_bitmaps_refcounts: directory, each bitmap table, each data cluster. */
        private void bitmaps(ReferenceCounter counter) throws IOException, CheckAbort {
            HeaderExtension.Bitmaps ext = img.bitmapsExtension();
            if (ext == null || !h.has(FeatureBit.BITMAPS) || ext.nbBitmaps() == 0) {
                return;
            }
            counter.inc(ext.directoryOffset(), ext.directorySize(), HostClusterRole.BITMAP_DIRECTORY, Owner.NONE);
            List<BitmapDirectoryEntry> list;
            try {
                list = img.bitmaps();
            } catch (Qcow2Exception e) {
                findings.add(Finding.of(FindingKind.BITMAP_DIRECTORY_INVALID, "bitmap directory",
                        "ERROR bitmap directory: " + e.getMessage()).at(ext.directoryOffset()));
                throw new CheckAbort("Invalid argument");
            }
            for (BitmapDirectoryEntry b : list) {
                counter.inc(b.tableOffset(), b.tableSize() * 8, HostClusterRole.BITMAP_TABLE, b.index());
                byte[] raw = storage.read(b.tableOffset(), (int) (b.tableSize() * 8));
                ByteBuffer t = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
                for (int j = 0; j < b.tableSize(); j++) {
                    long entry = t.getLong(j * 8);
                    long offset = entry & BitmapTableEntry.OFFSET_MASK;
                    if (invalidBitmapEntry(entry)) {
                        findings.add(Finding.of(FindingKind.BITMAP_TABLE_ENTRY_INVALID,
                                "bitmap[" + b.index() + "] table[" + j + "]",
                                String.format(
                                        "ERROR bitmap '%s' table entry %d is invalid: 0x%x", b.name(), j, entry))
                                .at(b.tableOffset() + j * 8L).found(entry));
                        continue;
                    }
                    if (offset != 0) {
                        counter.inc(offset, geo.clusterSize(), HostClusterRole.BITMAP_DATA, Owner.pair(b.index(), j));
                    }
                }
            }
        }
    }

    /** Problem lines as qemu-img prints them on stderr (no warnings). */
    public static List<String> problemLines(CheckResult r) {
        List<String> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (f.severity() != io.qcowscope.engine.check.Severity.WARNING) {
                out.add(f.message());
            }
        }
        return out;
    }
}

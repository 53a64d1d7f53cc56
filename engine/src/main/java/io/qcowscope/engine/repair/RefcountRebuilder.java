package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes a brand-new refcount structure from the references found (spec 5.5), placed past the end of everything the image
 * uses, so no new block can land on a cluster the old (possibly damaged) structure still claims — the case where QEMU 7.2's
 * rebuild fails. Order (Appendix B.3): refcount blocks and the table are written and synced first, then one header write
 * of {@code refcount_table_offset} and {@code refcount_table_clusters} switches to them. A crash before the switch leaves
 * the old structure in force and the new clusters unused past the old end.
 */
public final class RefcountRebuilder {

    /** Where the new structure went. */
    public record Result(long reftableOffset, long reftableClusters, long firstNewCluster, int refblocks) {
    }

    private RefcountRebuilder() {
    }

    public static Result rebuild(Storage s, Geometry g, ReferenceCounts refs) throws IOException {
        long cs = g.clusterSize();
        long entries = g.refblockEntries();
        long n = refs.clusterCount();
        long start = Math.max(n, g.clustersFor(s.size()));
        // Ranges of clusters (one per refcount block) that hold a non-zero count below the new area.
        long ranges = (start + entries - 1) / entries;
        boolean[] needed = new boolean[(int) Math.max(1, ranges)];
        for (long c = 0; c < n; c++) {
            if (refs.get(c) != 0) {
                needed[(int) (c / entries)] = true;
                c = (c / entries + 1) * entries - 1;
            }
        }
        // Grow the new area until the blocks and table it holds describe themselves too.
        long area = 0;
        long blocks;
        long tableClusters;
        while (true) {
            long end = start + area;
            long oldBlocks = 0;
            for (boolean b : needed) {
                if (b) {
                    oldBlocks++;
                }
            }
            long firstAreaRange = start / entries;
            long lastAreaRange = (end + 1) / entries;
            long areaBlocks = 0;
            for (long r = firstAreaRange; r <= lastAreaRange; r++) {
                if (r >= needed.length || !needed[(int) r]) {
                    areaBlocks++;
                }
            }
            blocks = oldBlocks + areaBlocks;
            long tableEntries = lastAreaRange + 1;
            tableClusters = (tableEntries * 8 + cs - 1) / cs;
            if (blocks + tableClusters <= area) {
                break;
            }
            area = blocks + tableClusters;
        }
        long tableEntries = tableClusters * cs / 8;
        if (tableClusters * cs > io.qcowscope.engine.format.Limits.MAX_REFTABLE_BYTES) {
            throw new Qcow2Exception(Structure.REFCOUNT_TABLE, -1, "a rebuilt refcount table would need " + tableClusters
                    + " clusters, more than QEMU accepts");
        }
        long tableStart = start + blocks;
        long[] table = new long[(int) tableEntries];
        long next = start;
        long lastCluster = tableStart + tableClusters;
        for (long r = 0; r < tableEntries && r * entries < lastCluster; r++) {
            boolean inOld = r < needed.length && needed[(int) r];
            boolean inArea = (r + 1) * entries > start && r * entries < lastCluster;
            if (inOld || inArea) {
                table[(int) r] = next << g.clusterBits();
                next++;
            }
        }
        if (next > tableStart) {
            throw new IllegalStateException("refcount blocks overflow their area");
        }
        byte[] block = new byte[(int) cs];
        for (int r = 0; r < table.length; r++) {
            if (table[r] == 0) {
                continue;
            }
            Arrays.fill(block, (byte) 0);
            long first = r * entries;
            for (long i = 0; i < entries; i++) {
                long c = first + i;
                long v = c < n ? refs.get(c) : 0;
                boolean newBlock = c >= start && c < next;
                boolean newTable = c >= tableStart && c < tableStart + tableClusters;
                if (newBlock || newTable) {
                    v = 1;
                }
                if (v != 0) {
                    if (g.refcountOrder() < 6 && Long.compareUnsigned(v, g.refcountMax()) > 0) {
                        throw new Qcow2Exception(Structure.REFCOUNT_BLOCK, table[r], "cluster " + c + " has " + v
                                + " references, more than " + g.refcountBits() + "-bit refcounts hold");
                    }
                    RefcountBlockCodec.set(block, i, g.refcountOrder(), v);
                }
            }
            s.write(table[r], block, 0, block.length);
        }
        ByteBuffer t = ByteBuffer.allocate((int) (tableClusters * cs));
        for (long e : table) {
            t.putLong(e);
        }
        s.write(tableStart << g.clusterBits(), t.array(), 0, t.capacity());
        s.flush();
        // The switch: one write of bytes 48..59 (spec B.3 step 5).
        ByteBuffer h = ByteBuffer.allocate(12);
        h.putLong(0, tableStart << g.clusterBits());
        h.putInt(8, (int) tableClusters);
        s.write(48, h.array(), 0, 12);
        s.flush();
        return new Result(tableStart << g.clusterBits(), tableClusters, start, (int) (next - start));
    }
}

package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.HeaderExtensionCodec;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A corrupt header extension area (spec 2.1): the records that parse are kept in their order, the rest dropped with the
 * reason (a length running past the area, a duplicate type, contents the spec forbids), and the area ends with the
 * end-of-extensions marker. The backing file name after the area is not touched.
 */
final class ExtensionArea {
    private ExtensionArea() {
    }

    static HeaderDamage trim(byte[] head, Qcow2Header h) {
        int start = (int) HeaderExtensionCodec.areaStart(h);
        int end = (int) Math.min(HeaderExtensionCodec.areaEnd(h), head.length);
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        List<String> keptNames = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int off = start;
        while (off < end) {
            if (end - off < 8) {
                dropped.add(String.format("%d byte(s) at 0x%x: no room for a record's prefix", end - off, off));
                break;
            }
            ByteBuffer b = ByteBuffer.wrap(head);
            int type = b.getInt(off);
            long len = b.getInt(off + 4) & 0xFFFFFFFFL;
            if (type == 0) {
                break;
            }
            if (len > end - off - 8) {
                dropped.add(String.format("type 0x%08x at 0x%x: length %d runs past the area (%d bytes left), and "
                        + "everything after it", type, off, len, end - off - 8));
                break;
            }
            int padded = (int) ((len + 7) & ~7L);
            byte[] record = new byte[8 + padded];
            System.arraycopy(head, off, record, 0, (int) Math.min(8 + padded, end - off));
            if (!seen.add(type)) {
                dropped.add(String.format("type 0x%08x at 0x%x: a duplicate", type, off));
            } else {
                String bad = parseAlone(record, h, start, end);
                if (bad == null) {
                    kept.writeBytes(record);
                    keptNames.add(String.format("type 0x%08x", type));
                } else {
                    dropped.add(String.format("type 0x%08x at 0x%x: %s", type, off, bad));
                }
            }
            off += 8 + padded;
        }
        // The patch reaches from the area start to its last non-zero byte: the rest already reads as zeros.
        byte[] k = kept.toByteArray();
        int used = end;
        while (used > start && head[used - 1] == 0) {
            used--;
        }
        int patchEnd = (int) Math.min(end, Math.max(start + k.length + 8L, ((used + 7L) & ~7L)));
        byte[] after = new byte[patchEnd - start];
        System.arraycopy(k, 0, after, 0, Math.min(k.length, Math.max(0, end - start - 8)));
        byte[] before = Arrays.copyOfRange(head, start, patchEnd);
        String evidence = "keeps " + (keptNames.isEmpty() ? "no extension" : String.join(", ", keptNames))
                + "; drops " + String.join("; ", dropped);
        Candidate c = new Candidate(keptNames.size(), evidence, 1,
                List.of(new Patch(start, before, after, HostClusterRole.HEADER)));
        return new HeaderDamage(FixKind.TRIM_HEADER_EXTENSIONS, "header extensions", start, patchEnd - start,
                dropped.size(), dropped.size() + " header extension record(s) do not parse", List.of(c), 0);
    }

    /** Null when the record parses on its own in this header's area; else why not. */
    private static String parseAlone(byte[] record, Qcow2Header h, int start, int end) {
        byte[] area = new byte[end];
        System.arraycopy(record, 0, area, start, Math.min(record.length, end - start));
        try {
            HeaderExtensionCodec.decode(area, h);
            return null;
        } catch (Qcow2Exception e) {
            return e.getMessage();
        }
    }
}

package io.qcowscope.engine.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HeaderCodecTest {

    /** The header of a fresh 64 MiB qemu image (spec Appendix A). */
    static byte[] fresh() {
        ByteBuffer b = ByteBuffer.allocate(65536);
        b.putInt(0, Qcow2Header.MAGIC);
        b.putInt(4, 3);
        b.putInt(20, 16);
        b.putLong(24, 64L << 20);
        b.putInt(36, 1);
        b.putLong(40, 0x30000);
        b.putLong(48, 0x10000);
        b.putInt(56, 1);
        b.putInt(96, 4);
        b.putInt(100, 112);
        return b.array();
    }

    static byte[] with(Consumer<ByteBuffer> patch) {
        byte[] a = fresh();
        patch.accept(ByteBuffer.wrap(a));
        return a;
    }

    @Test
    void decodesAndReEncodesAFreshImageHeader() throws Exception {
        Qcow2Header h = HeaderCodec.decode(fresh(), false);
        assertEquals(3, h.version());
        assertEquals(65536, h.clusterSize());
        assertEquals(0x30000, h.l1TableOffset());
        assertEquals(16, h.refcountBits());
        assertEquals(CompressionType.ZLIB, h.compressionType());
        byte[] again = HeaderCodec.encode(h);
        assertEquals(h, HeaderCodec.decode(java.util.Arrays.copyOf(again, 65536), false));
    }

    @Test
    void rejectsEveryHeaderLimitOfSpecSection9Case23() {
        String[] expected = {
            "Unsupported qcow2 version 4", "Unsupported cluster size: 2^8", "Unsupported cluster size: 2^22",
            "qcow2 header too short", "header exceeds cluster size", "Reference count entry width too large",
            "compression type bit must be set", "compression type bit must not be set", "Active L1 table too large",
            "Reference count table too large", "Snapshot table too large", "Snapshot table offset invalid",
            "Invalid backing file offset", "Backing file name too long", "Unsupported encryption method",
            "Unsupported subcluster size: 256", "L1 table is too small", "Image does not contain a reference count table",
        };
        byte[][] images = {
            with(b -> b.putInt(4, 4)), with(b -> b.putInt(20, 8)), with(b -> b.putInt(20, 22)),
            with(b -> b.putInt(100, 100)), with(b -> b.putInt(100, 65544)), with(b -> b.putInt(96, 7)),
            with(b -> b.put(104, (byte) 1)), with(b -> b.putLong(72, 8)),
            with(b -> b.putInt(36, 4194305)), with(b -> b.putInt(56, 129)), with(b -> b.putInt(60, 65537)),
            with(b -> b.putLong(64, 0x10001)), with(b -> b.putLong(8, 65537)),
            with(b -> { b.putLong(8, 0x1000); b.putInt(16, 1024); }), with(b -> b.putInt(32, 3)),
            with(b -> { b.putInt(20, 13); b.putLong(72, 16); }), with(b -> b.putInt(36, 0)),
            with(b -> b.putInt(56, 0)),
        };
        for (int i = 0; i < images.length; i++) {
            byte[] img = images[i];
            Qcow2Exception e = assertThrows(Qcow2Exception.class, () -> HeaderCodec.decode(img, false), expected[i]);
            assertTrue(e.getMessage().contains(expected[i]), "case " + i + ": " + e.getMessage());
        }
    }

    @Test
    void acceptsTheLargestL1AndToleratesNoReftableInCheckMode() throws Exception {
        HeaderCodec.decode(with(b -> b.putInt(36, 4194304)), false);
        HeaderCodec.decode(with(b -> b.putInt(56, 0)), true);
    }

    @Test
    void errorsNameTheHeaderAndTheFieldOffset() {
        Qcow2Exception e = assertThrows(Qcow2Exception.class, () -> HeaderCodec.decode(with(b -> b.putInt(96, 7)), false));
        assertEquals(Structure.HEADER, e.structure());
        assertEquals(96, e.offset());
    }
}

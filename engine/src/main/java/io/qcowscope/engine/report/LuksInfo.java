package io.qcowscope.engine.report;

import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.LuksHeader;
import io.qcowscope.engine.format.LuksHeaderCodec;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.image.Qcow2Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** qemu-img info's {@code encrypt} object of a LUKS image, read from the encryption area (spec 2.4). */
final class LuksInfo {
    private LuksInfo() {
    }

    static Map<String, Object> of(Qcow2Image img) throws IOException {
        HeaderExtension.FullDiskEncryption fde = null;
        for (HeaderExtension e : img.extensions()) {
            if (e instanceof HeaderExtension.FullDiskEncryption f) {
                fde = f;
            }
        }
        if (fde == null) {
            throw new Qcow2FormatException(Structure.HEADER, 32, "LUKS encryption without a full disk encryption header pointer");
        }
        LuksHeader h = LuksHeaderCodec.decode(img.storage().read(fde.areaOffset(), LuksHeader.LENGTH), fde.areaOffset());
        Map<String, Object> m = new LinkedHashMap<>();
        String mode = h.cipherMode();
        int dash = mode.indexOf('-');
        String chain = dash < 0 ? mode : mode.substring(0, dash);
        String ivgen = dash < 0 ? "" : mode.substring(dash + 1);
        String ivHash = null;
        int colon = ivgen.indexOf(':');
        if (colon >= 0) {
            ivHash = ivgen.substring(colon + 1);
            ivgen = ivgen.substring(0, colon);
        }
        m.put("ivgen-alg", ivgen);
        if (ivHash != null) {
            m.put("ivgen-hash-alg", ivHash);
        }
        m.put("hash-alg", h.hashSpec());
        long keyBits = h.keyBytes() * 8 / ("xts".equals(chain) ? 2 : 1);
        m.put("cipher-alg", h.cipherName().toLowerCase(Locale.ROOT) + "-" + keyBits);
        m.put("uuid", h.uuid());
        m.put("format", "luks");
        m.put("cipher-mode", chain);
        List<Object> slots = new ArrayList<>();
        for (LuksHeader.KeySlot s : h.keySlots()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("active", s.active());
            if (s.active()) {
                sm.put("iters", s.iterations());
            }
            sm.put("key-offset", s.keyMaterialOffset());
            if (s.active()) {
                sm.put("stripes", s.stripes());
            }
            slots.add(sm);
        }
        m.put("slots", slots);
        m.put("payload-offset", h.payloadOffset());
        m.put("master-key-iters", h.masterKeyIterations());
        return m;
    }
}

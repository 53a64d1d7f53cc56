package io.qcowscope.engine.testkit;

import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.L2Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every non-empty active L2 entry of an image as "guestCluster: word0/bitmap" lines, for comparisons. */
public final class L2Dump {
    private L2Dump() {
    }

    public static List<String> of(Path image) throws IOException {
        List<String> out = new ArrayList<>();
        try (Qcow2Image img = Qcow2Image.open(image, OpenOptions.readOnly().withBackingChain(false))) {
            int entries = img.geometry().l2Entries();
            for (int i = 0; i < img.l1Size(); i++) {
                long l1 = img.l1Entry(i);
                long l2 = L1Entry.l2Offset(l1);
                if (l2 == 0) {
                    continue;
                }
                out.add("L1[" + i + "] copied=" + L1Entry.copied(l1));
                L2Table t = img.l2Table(l2);
                for (int j = 0; j < entries; j++) {
                    long w0 = t.word0(j);
                    long bm = t.bitmap(j);
                    if (w0 != 0 || bm != 0) {
                        out.add("cluster " + ((long) i * entries + j) + ": 0x" + Long.toHexString(w0) + " / 0x"
                                + Long.toHexString(bm));
                    }
                }
            }
        }
        return out;
    }
}

package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Images for the edit tests, made by qemu-img and qemu-io. */
public final class EditTestImages {
    private EditTestImages() {
    }

    /**
     * {@code base.qcow2} of {@code size} with {@code baseData} bytes of 0x11 from 0, and over it {@code ours.qcow2} with
     * extended L2 and {@code topData} bytes of 0x22 at {@code topAt}; {@code theirs.qcow2} is a copy of it for qemu-io.
     * Returns ours.qcow2.
     */
    public static Path extendedOverBacking(Path dir, String size, String baseData, String topAt, String topData) {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "base.qcow2", size);
        Qemu.io(dir, "base.qcow2", "write -q -P 0x11 0 " + baseData);
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "-b", "base.qcow2", "-F", "qcow2",
                "ours.qcow2", size);
        Qemu.io(dir, "ours.qcow2", "write -q -P 0x22 " + topAt + " " + topData);
        try {
            Files.copy(dir.resolve("ours.qcow2"), dir.resolve("theirs.qcow2"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir.resolve("ours.qcow2");
    }

    /** The 4 MiB pair the edit tests use. */
    public static Path extendedOverBacking(Path dir) {
        return extendedOverBacking(dir, "4M", "1M", "64k", "8k");
    }

    public static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }
}

package io.qcowscope.engine.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest digest of a {@code preallocation=metadata} image: data clusters over holes of the host file read as zeros
 * (block status says data and zero) and are digested as zeros without being read, so a sparse 256 GiB image digests in
 * moments, and equals the digest of the same guest content written without preallocation.
 */
class GuestDigestPreallocationTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void images() throws Exception {
        Qemu.requireInstalled();
        for (String name : new String[]{"pre.qcow2", "pre-other.qcow2"}) {
            Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "preallocation=metadata,cluster_size=64k", name, "256G");
        }
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=64k", "plain.qcow2", "256G");
        for (String name : new String[]{"pre.qcow2", "plain.qcow2"}) {
            Qemu.io(dir, name, "write -P 0x5a 1M 192k", "write -P 0x11 100G 64k");
        }
        Qemu.io(dir, "pre-other.qcow2", "write -P 0x5a 1M 192k", "write -P 0x12 100G 64k");
    }

    @Test
    void preallocatedHolesDigestAsZerosQuicklyAndEqualThePlainImage() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            GuestDigest pre = GuestDigest.of(dir.resolve("pre.qcow2"), ProgressMonitor.NONE);
            GuestDigest plain = GuestDigest.of(dir.resolve("plain.qcow2"), pre, ProgressMonitor.NONE);
            assertEquals(-1, pre.firstDifference(plain), "the same guest content, described two ways");
            GuestDigest other = GuestDigest.of(dir.resolve("pre-other.qcow2"), pre, ProgressMonitor.NONE);
            assertEquals(100L << 30, pre.firstDifference(other), "one changed byte pattern at 100 GiB is seen");
        }, "256 GiB of preallocated holes must not be read");
    }
}

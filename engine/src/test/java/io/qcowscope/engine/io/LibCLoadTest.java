package io.qcowscope.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import org.junit.jupiter.api.Test;

/** libc is loaded by its soname and JNA's library-directory scan (a fork of ldconfig on every start) is skipped. */
class LibCLoadTest {

    @Test
    void nativeLayerLoadsWithThePlatformPathPreset() {
        assertTrue(NativeFile.isNativeAvailable(), "libc through JNA on Linux");
        String path = System.getProperty(LibC.PLATFORM_PATH_PROPERTY);
        assertTrue(path != null && !path.isEmpty(), "the property JNA would otherwise fill from ldconfig -p");
        for (String dir : path.split(File.pathSeparator)) {
            assertTrue(new File(dir).isDirectory(), dir);
        }
        assertFalse(path.contains("%s"), path);
    }

    @Test
    void aPathTheUserSetIsKept() {
        String before = System.getProperty(LibC.PLATFORM_PATH_PROPERTY);
        try {
            System.setProperty(LibC.PLATFORM_PATH_PROPERTY, "/usr/lib");
            LibC.skipLdconfigScan();
            assertEquals("/usr/lib", System.getProperty(LibC.PLATFORM_PATH_PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(LibC.PLATFORM_PATH_PROPERTY);
            } else {
                System.setProperty(LibC.PLATFORM_PATH_PROPERTY, before);
            }
        }
    }
}

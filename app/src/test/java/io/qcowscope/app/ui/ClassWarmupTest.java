package io.qcowscope.app.ui;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassWarmupTest {
    @Test
    void loadAllLoadsTheListedViewAndSkinClassesWithoutInitialisingThem() {
        assertNotNull(ClassWarmup.class.getResource(ClassWarmup.LIST), "the class list is packaged beside the class");
        int loaded = ClassWarmup.loadAll();
        assertTrue(loaded > 1000, "loaded " + loaded);
    }
}

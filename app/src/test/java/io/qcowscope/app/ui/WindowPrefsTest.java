package io.qcowscope.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.prefs.Preferences;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WindowPrefsTest {
    private final Preferences node = Preferences.userRoot().node("io/qcowscope/test/window-" + ProcessHandle.current().pid());

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void placementAndThemeSurviveANewInstance() {
        WindowPrefs a = new WindowPrefs(node);
        assertNull(a.placement());
        assertFalse(a.darkTheme());
        a.savePlacement(new WindowPrefs.Placement(30, 40, 1200, 800, true));
        a.saveDarkTheme(true);
        WindowPrefs b = new WindowPrefs(node);
        assertEquals(new WindowPrefs.Placement(30, 40, 1200, 800, true), b.placement());
        assertTrue(b.darkTheme());
    }

    @Test
    void fitWithoutSavedPlacementCentresNinetyPercentOfALargeScreen() {
        WindowPrefs.Placement p = WindowPrefs.fit(null, new Rectangle2D(0, 0, 1600, 1000));
        assertEquals(new WindowPrefs.Placement(80, 50, 1440, 900, false), p);
        assertEquals(new WindowPrefs.Placement(0, 0, 1024, 700, false),
                WindowPrefs.fit(null, new Rectangle2D(0, 0, 1024, 700)), "a small screen is filled");
    }

    @Test
    void fitClampsASavedPlacementIntoASmallerScreen() {
        WindowPrefs.Placement saved = new WindowPrefs.Placement(500, 300, 1400, 860, false);
        WindowPrefs.Placement p = WindowPrefs.fit(saved, new Rectangle2D(0, 0, 1024, 700));
        assertEquals(new WindowPrefs.Placement(0, 0, 1024, 700, false), p);
        WindowPrefs.Placement small = WindowPrefs.fit(new WindowPrefs.Placement(900, 600, 900, 600, false),
                new Rectangle2D(0, 0, 1600, 1000));
        assertEquals(new WindowPrefs.Placement(700, 400, 900, 600, false), small, "moved back onto the screen");
    }
}

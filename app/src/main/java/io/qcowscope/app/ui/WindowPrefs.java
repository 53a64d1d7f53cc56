package io.qcowscope.app.ui;

import java.util.prefs.Preferences;
import javafx.geometry.Rectangle2D;

/**
 * The window's size, position and theme between runs, in the user's Java preferences (beside the recent files). A saved
 * place is used only where it still fits a screen; otherwise the window fills most of the primary screen.
 */
public final class WindowPrefs {
    /** Where the window was, and whether it was maximised. */
    public record Placement(double x, double y, double width, double height, boolean maximized) {
    }

    static final double MIN_WIDTH = 800;
    static final double MIN_HEIGHT = 560;
    /** A first run takes at least this much of the screen (all of a small one), 90% of a large one. */
    static final double DEFAULT_WIDTH = 1280;
    static final double DEFAULT_HEIGHT = 800;
    private final Preferences prefs;

    public WindowPrefs() {
        this(Preferences.userRoot().node("io/qcowscope/app/window"));
    }

    WindowPrefs(Preferences prefs) {
        this.prefs = prefs;
    }

    public boolean darkTheme() {
        return prefs.getBoolean("dark", false);
    }

    public void saveDarkTheme(boolean dark) {
        prefs.putBoolean("dark", dark);
    }

    /** The saved placement, or null when none was saved. */
    public Placement placement() {
        double w = prefs.getDouble("width", -1);
        double h = prefs.getDouble("height", -1);
        if (w <= 0 || h <= 0) {
            return null;
        }
        return new Placement(prefs.getDouble("x", 0), prefs.getDouble("y", 0), w, h, prefs.getBoolean("maximized", false));
    }

    public void savePlacement(Placement p) {
        prefs.putDouble("x", p.x());
        prefs.putDouble("y", p.y());
        prefs.putDouble("width", p.width());
        prefs.putDouble("height", p.height());
        prefs.putBoolean("maximized", p.maximized());
    }

    /**
     * Where the window goes on a screen whose usable area is {@code screen}: the saved placement clamped into it (a
     * window never larger than the screen, never off it), or, when nothing was saved, 90% of a large screen and all of a small one, centred.
     */
    public static Placement fit(Placement saved, Rectangle2D screen) {
        double sw = screen.getWidth();
        double sh = screen.getHeight();
        if (saved == null) {
            double w = Math.min(sw, Math.max(DEFAULT_WIDTH, sw * 0.9));
            double h = Math.min(sh, Math.max(DEFAULT_HEIGHT, sh * 0.9));
            return new Placement(screen.getMinX() + (sw - w) / 2, screen.getMinY() + (sh - h) / 2, w, h, false);
        }
        double w = Math.min(sw, Math.max(Math.min(MIN_WIDTH, sw), saved.width()));
        double h = Math.min(sh, Math.max(Math.min(MIN_HEIGHT, sh), saved.height()));
        double x = Math.max(screen.getMinX(), Math.min(saved.x(), screen.getMaxX() - w));
        double y = Math.max(screen.getMinY(), Math.min(saved.y(), screen.getMaxY() - h));
        return new Placement(x, y, w, h, saved.maximized());
    }
}

package io.qcowscope.app.ui.viewmodel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/** Recent files in the user's Java preferences. */
public final class PreferencesRecentFiles implements RecentFiles {
    private final Preferences prefs = Preferences.userRoot().node("io/qcowscope/app");

    @Override
    public List<Path> load() {
        List<Path> out = new ArrayList<>();
        for (String s : prefs.get("recent", "").split("\n")) {
            if (!s.isBlank()) {
                out.add(Path.of(s));
            }
        }
        return out;
    }

    @Override
    public void save(List<Path> files) {
        StringBuilder b = new StringBuilder();
        for (Path p : files) {
            b.append(p).append('\n');
        }
        prefs.put("recent", b.toString());
    }
}

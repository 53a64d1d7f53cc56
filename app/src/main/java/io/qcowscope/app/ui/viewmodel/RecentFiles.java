package io.qcowscope.app.ui.viewmodel;

import java.nio.file.Path;
import java.util.List;

/** Where the recent files list is kept between runs. */
public interface RecentFiles {
    List<Path> load();

    void save(List<Path> files);

    /** Keeps nothing; for tests. */
    static RecentFiles inMemory() {
        return new RecentFiles() {
            private List<Path> files = List.of();

            @Override
            public List<Path> load() {
                return files;
            }

            @Override
            public void save(List<Path> f) {
                files = List.copyOf(f);
            }
        };
    }
}

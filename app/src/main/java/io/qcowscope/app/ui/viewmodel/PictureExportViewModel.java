package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * File > Export view as PNG: encodes and writes the picture of a view in the background (a whole map can be tens of
 * megapixels), next to the target first and then moved into place, so a failed export leaves no half file.
 */
public final class PictureExportViewModel {
    /** Writes one PNG to the stream; runs off the UI thread. */
    @FunctionalInterface
    public interface PictureSource {
        void writePng(OutputStream out) throws IOException;
    }

    private final TaskExecutor executor;
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");

    public PictureExportViewModel(TaskExecutor executor) {
        this.executor = executor;
    }

    /** Writes the picture {@code what} (e.g. "host layout, 1280x4096") to {@code target}. */
    public void export(Path target, String what, PictureSource source) {
        message.set("exporting " + what + " to " + target + "...");
        executor.execute("export", m -> {
            write(target, source);
            return target;
        }, new TaskListener<Path>() {
            @Override
            public void succeeded(Path p) {
                message.set("exported " + what + " to " + p);
            }

            @Override
            public void failed(Throwable e) {
                message.set("cannot export to " + target + ": " + e.getMessage());
            }
        });
    }

    /**
     * Writes the picture to a hidden file beside {@code target}, then moves it into place: a failed write leaves no half
     * picture. The file gets the permissions of any new file (the umask), not a temporary file's 0600.
     */
    public static void write(Path target, PictureSource source) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".part");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 1 << 16)) {
                source.writePng(out);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** What the last export did, for the status bar. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }
}

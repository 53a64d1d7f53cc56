package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.image.Qcow2Image;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/** An open image and what the window computed about it. Owned by {@link MainViewModel}. */
public final class ImageSession implements Closeable {
    private final Path path;
    private final Qcow2Image image;
    private final long openNanos;
    private final long diskUsage;
    private volatile HostLayoutSource layout;

    public ImageSession(Path path, Qcow2Image image, long openNanos) {
        this(path, image, openNanos, -1);
    }

    /** {@code diskUsage}: bytes the host allocates for the image file (st_blocks * 512), -1 when unknown. */
    public ImageSession(Path path, Qcow2Image image, long openNanos, long diskUsage) {
        this.path = path;
        this.image = image;
        this.openNanos = openNanos;
        this.diskUsage = diskUsage;
    }

    /** Bytes the host allocates for the image file, as qemu-img info's "disk size"; -1 when unknown. */
    public long diskUsage() {
        return diskUsage;
    }

    public Path path() {
        return path;
    }

    public Qcow2Image image() {
        return image;
    }

    public long openNanos() {
        return openNanos;
    }

    /** The host layout and check, null until the scan is done. */
    public HostLayoutSource layout() {
        return layout;
    }

    void setLayout(HostLayoutSource layout) {
        this.layout = layout;
    }

    @Override
    public void close() throws IOException {
        image.close();
    }
}

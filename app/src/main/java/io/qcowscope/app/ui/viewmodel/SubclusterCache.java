package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.GuestOffset;
import io.qcowscope.engine.mapping.L2Table;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The subcluster types of the guest map's L2 tables (spec 3.5), loaded through the task executor so the UI thread never
 * reads a table: a lookup that misses starts a load and answers null until it lands, then {@code onLoaded} runs. One byte
 * per subcluster (the {@link SubclusterType} ordinal), a few tables kept (least recently used dropped), few loads in flight.
 * Results of an earlier session or of an image changed meanwhile ({@link #reset}) are dropped.
 */
final class SubclusterCache {
    /** Bytes of decoded tables kept; at least one table is always kept. */
    private static final long MAX_BYTES = 8L << 20;
    /** Loads queued at once; a repaint after one lands asks again for what is still missing. */
    private static final int MAX_LOADING = 4;

    private final Runnable onLoaded;
    /** Reads on the calling thread, one table kept: for a picture painted off the UI thread. */
    private final boolean direct;
    private final Map<Integer, byte[]> tables = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Integer> loading = new HashSet<>();
    private TaskExecutor executor = new SyncTaskExecutor();
    private ImageSession session;
    /** Bumped by {@link #reset}; a load started under an older generation is dropped. */
    private long generation;
    private long bytes;

    private SubclusterCache(Runnable onLoaded, boolean direct) {
        this.onLoaded = onLoaded;
        this.direct = direct;
    }

    /** The window's cache: misses load through the executor, then {@code onLoaded} runs on the UI thread. */
    static SubclusterCache throughExecutor(Runnable onLoaded) {
        return new SubclusterCache(onLoaded, false);
    }

    /** Reads each table on the calling thread when first asked, keeping only the last one (a picture paints in order). */
    static SubclusterCache direct() {
        return new SubclusterCache(() -> { }, true);
    }

    void setExecutor(TaskExecutor executor) {
        this.executor = executor;
    }

    /** Forgets every table (a new session, or the image's tables changed). */
    void reset(ImageSession s) {
        session = s;
        generation++;
        tables.clear();
        loading.clear();
        bytes = 0;
    }

    /**
     * The types of the subclusters of guest cluster {@code g} copied into {@code dst} as ordinals, or false (and a load
     * started) when its L2 table is not loaded yet.
     */
    boolean fill(long g, byte[] dst) {
        if (session == null) {
            return false;
        }
        Geometry geo = session.image().geometry();
        int l1 = (int) (g / geo.l2Entries());
        byte[] t = direct ? directTable(l1) : tables.get(l1);
        if (t == null) {
            load(l1);
            t = tables.get(l1); // the synchronous executor has loaded it already
            if (t == null) {
                return false;
            }
        }
        int n = geo.subclustersPerCluster();
        System.arraycopy(t, (int) (g % geo.l2Entries()) * n, dst, 0, Math.min(n, dst.length));
        return true;
    }

    private byte[] directTable(int l1) {
        byte[] t = tables.get(l1);
        if (t == null) {
            tables.clear();
            try {
                t = decode(session.image(), l1);
            } catch (IOException e) {
                t = invalid(session.image().geometry());
            }
            tables.put(l1, t);
        }
        return t;
    }

    private static byte[] invalid(Geometry geo) {
        byte[] b = new byte[geo.l2Entries() * geo.subclustersPerCluster()];
        Arrays.fill(b, (byte) SubclusterType.INVALID.ordinal());
        return b;
    }

    private void load(int l1) {
        if (loading.contains(l1) || loading.size() >= MAX_LOADING) {
            return;
        }
        loading.add(l1);
        ImageSession s = session;
        long gen = generation;
        executor.executeInteractive("read L2 table for subclusters", m -> decode(s.image(), l1),
                new TaskListener<byte[]>() {
                    @Override
                    public void succeeded(byte[] types) {
                        landed(gen, l1, types);
                    }

                    @Override
                    public void failed(Throwable error) {
                        landed(gen, l1, invalid(s.image().geometry()));
                    }

                    @Override
                    public void cancelled() {
                        if (gen == generation) {
                            loading.remove(l1);
                        }
                    }
                });
    }

    private void landed(long gen, int l1, byte[] types) {
        if (gen != generation) {
            return;
        }
        loading.remove(l1);
        tables.put(l1, types);
        bytes += types.length;
        var it = tables.entrySet().iterator();
        while (bytes > MAX_BYTES && tables.size() > 1) {
            bytes -= it.next().getValue().length;
            it.remove();
        }
        onLoaded.run();
    }

    /** Runs off the UI thread: the subcluster types of every entry of the L2 table behind L1 entry {@code l1}. */
    static byte[] decode(Qcow2Image img, int l1) throws IOException {
        Geometry geo = img.geometry();
        int n = geo.subclustersPerCluster();
        int entries = geo.l2Entries();
        byte[] out = new byte[entries * n];
        L2Table t = img.resolver().tableFor(GuestOffset.ofCluster((long) l1 * entries, geo));
        if (t == null) {
            Arrays.fill(out, (byte) SubclusterType.UNALLOCATED_PLAIN.ordinal());
            return out;
        }
        for (int i = 0; i < entries; i++) {
            for (int sc = 0; sc < n; sc++) {
                out[i * n + sc] = (byte) type(t, i, sc).ordinal();
            }
        }
        return out;
    }

    private static SubclusterType type(L2Table t, int i, int sc) {
        try {
            return t.subclusterType(i, sc);
        } catch (IllegalStateException e) {
            return SubclusterType.INVALID;
        }
    }
}

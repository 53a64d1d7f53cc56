package io.qcowscope.engine.repair;

import io.qcowscope.engine.storage.FileStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies an image file keeping its holes (SEEK_DATA/SEEK_HOLE), so a repair "to a copy" of a sparse 1 TiB image writes only
 * the bytes that exist. The copy is synced before it is returned.
 */
public final class SparseCopy {
    private static final int CHUNK = 4 << 20;

    private SparseCopy() {
    }

    public static void copy(Path source, Path target) throws IOException {
        try (FileStorage in = FileStorage.openReadOnly(source);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            byte[] buf = new byte[CHUNK];
            long pos = 0;
            while (pos < size) {
                long data = in.nextData(pos);
                if (data < 0) {
                    break;
                }
                long hole = Math.min(in.nextHole(data), size);
                for (long p = data; p < hole; ) {
                    int n = (int) Math.min(CHUNK, hole - p);
                    in.read(p, buf, 0, n);
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    long w = p;
                    while (b.hasRemaining()) {
                        w += out.write(b, w);
                    }
                    p += n;
                }
                pos = hole;
            }
            out.truncate(size);
            if (out.size() < size) {
                out.write(ByteBuffer.wrap(new byte[1]), size - 1);
            }
            out.force(true);
        }
        UndoJournal.syncDirectory(target.toAbsolutePath().getParent());
    }
}

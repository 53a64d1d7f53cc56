package io.qcowscope.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The images one run of check, info or map works on: the IMAGE arguments in order, then with {@code --recursive DIR}
 * every qcow2 file under DIR (by its magic, spec 2.1 "QFI\xfb"), sorted by path. The walk follows no symbolic link, to a
 * file or a directory, so it never leaves the pool.
 */
public final class ImagePool {
    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

    @Option(names = "--recursive", paramLabel = "DIR",
            description = "Also every qcow2 file under DIR (by magic; symbolic links are not followed). "
                    + "With several images (qemu-img takes one): one result per image, JSON lines or a summary "
                    + "table, and the worst image's exit status (0 < 3 leaks < 2 corruptions < 1 unreadable).")
    Path recursive;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Image file(s).")
    List<Path> images = new ArrayList<>();

    /** True when the output is one image's, exactly as qemu-img prints it. */
    boolean single() {
        return recursive == null && images.size() == 1;
    }

    Path only() {
        return images.get(0);
    }

    /** The IMAGE arguments, then the pool's qcow2 files; an unreadable directory is listed so its error is reported. */
    List<Path> resolve() throws IOException {
        if (recursive == null && images.isEmpty()) {
            throw new IllegalArgumentException("name an IMAGE or --recursive DIR");
        }
        List<Path> all = new ArrayList<>(images);
        if (recursive != null) {
            if (!Files.isDirectory(recursive)) {
                throw new IOException(recursive + ": not a directory");
            }
            all.addAll(qcow2FilesUnder(recursive));
        }
        return all;
    }

    static List<Path> qcow2FilesUnder(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                // Without FOLLOW_LINKS a link is reported with its own attributes: not a regular file, skipped.
                if (attrs.isRegularFile() && hasQcow2Magic(file)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (!Files.isSymbolicLink(file)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
    }

    static boolean hasQcow2Magic(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] m = in.readNBytes(QCOW2_MAGIC.length);
            return java.util.Arrays.equals(m, QCOW2_MAGIC);
        } catch (IOException e) {
            return true; // listed, so the open reports why it cannot be read
        }
    }
}

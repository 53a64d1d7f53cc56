package io.qcowscope.engine.image;

import io.qcowscope.engine.format.Structure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gate every backing or data file named inside an image passes before we open it (spec section 8). Names are plain paths
 * relative to the image's directory; {@code json:} and protocol specs ({@code nbd:}, {@code http:}, ...) are always refused.
 * By default only files in the image's own directory or below are allowed; the user can widen that.
 */
public final class FileTrustPolicy {

    /** How far the gate lets names reach. */
    public enum Scope {
        /** Never open files named inside images. */
        NONE,
        /** Files in the image's directory or below it (the default). */
        IMAGE_DIRECTORY,
        /** Any plain local path. */
        ANY_LOCAL_PATH
    }

    private static final Pattern PROTOCOL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]*:.*", Pattern.DOTALL);

    private final Scope scope;
    private final Set<Path> extraAllowed;

    private FileTrustPolicy(Scope scope, Set<Path> extraAllowed) {
        this.scope = scope;
        this.extraAllowed = Set.copyOf(extraAllowed);
    }

    public static FileTrustPolicy defaultPolicy() {
        return new FileTrustPolicy(Scope.IMAGE_DIRECTORY, Set.of());
    }

    public static FileTrustPolicy of(Scope scope) {
        return new FileTrustPolicy(scope, Set.of());
    }

    /** A policy that also allows these exact files, wherever they are. */
    public FileTrustPolicy allowing(Set<Path> files) {
        java.util.HashSet<Path> s = new java.util.HashSet<>(extraAllowed);
        for (Path p : files) {
            s.add(p.toAbsolutePath().normalize());
        }
        return new FileTrustPolicy(scope, s);
    }

    public Scope scope() {
        return scope;
    }

    /** True when {@code name} is a {@code json:} or protocol spec rather than a plain path. */
    public static boolean isProtocolSpec(String name) {
        return name.startsWith("json:") || PROTOCOL.matcher(name).matches();
    }

    /**
     * The path a name from an image resolves to (relative names against the image's directory), before the gate is applied.
     * QEMU's full-backing-filename is this path.
     */
    public static Path resolveName(Path imagePath, String name) {
        Path p = Path.of(name);
        if (p.isAbsolute()) {
            return p;
        }
        Path dir = imagePath.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p);
    }

    /**
     * Resolves and checks a file named inside {@code imagePath}.
     *
     * @param what {@link Structure#BACKING_FILE} or {@link Structure#DATA_FILE}
     */
    public Path admit(Path imagePath, String name, Structure what) throws UntrustedFileException {
        if (name.isEmpty()) {
            throw new UntrustedFileException(what, name, what.label() + " name is empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new UntrustedFileException(what, name, what.label() + " name contains a NUL byte");
        }
        if (isProtocolSpec(name)) {
            throw new UntrustedFileException(what, name, "refusing " + what.label() + " '" + name
                    + "': json: and protocol specs named inside an image are never opened");
        }
        Path resolved = resolveName(imagePath, name).normalize();
        if (extraAllowed.contains(resolved.toAbsolutePath().normalize())) {
            return resolved;
        }
        switch (scope) {
            case NONE:
                throw new UntrustedFileException(what, name, "not opening " + what.label() + " '" + name
                        + "': opening files named inside images is not allowed");
            case ANY_LOCAL_PATH:
                return resolved;
            default:
                Path dir = imagePath.toAbsolutePath().normalize().getParent();
                if (dir != null && isInside(dir, resolved)) {
                    return resolved;
                }
                throw new UntrustedFileException(what, name, "not opening " + what.label() + " '" + name + "' ("
                        + resolved + "): it is outside the image's directory; allow it explicitly to follow it");
        }
    }

    private static boolean isInside(Path dir, Path file) {
        try {
            Path realDir = dir.toRealPath();
            Path realFile = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath().normalize();
            return realFile.startsWith(realDir) && !realFile.equals(realDir);
        } catch (IOException e) {
            return false;
        }
    }
}

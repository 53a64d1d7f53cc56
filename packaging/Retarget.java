import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Packaging tool (JDK 24 or later: java.lang.classfile): {@code java packaging/Retarget.java IN.jar OUT.jar} copies a
 * jar and rewrites every class older than Java 17 (class-file version 61) to version 61, rebuilding each method body so
 * that it gets the stack maps a version-50+ class needs. Why: picocli's classes are Java 5 bytecode, and the JDK's AOT
 * cache and CDS archives skip old classes ("Old class has been linked"), so they would be loaded and verified from the
 * jar on every start. Classes already at 61 or later (and multi-release entries) are copied unchanged, as is every other
 * entry. The hierarchy needed for the stack maps comes from the jar itself, then from the running JDK.
 */
public final class Retarget {
    private static final int TARGET_MAJOR = ClassFile.JAVA_17_VERSION;

    private Retarget() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java Retarget.java IN.jar OUT.jar");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int rewritten = 0;
        try (JarFile jar = new JarFile(in.toFile(), false)) {
            Map<String, byte[]> classes = classBytes(jar);
            ClassHierarchyResolver ownClasses = ClassHierarchyResolver.ofResourceParsing(
                    (ClassDesc d) -> stream(classes.get(internalName(d) + ".class")));
            ClassFile classFile = ClassFile.of(
                    ClassFile.ClassHierarchyResolverOption.of(ownClasses.orElse(ClassHierarchyResolver.defaultResolver())),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "retarget", ".jar");
            try (OutputStream os = Files.newOutputStream(tmp); JarOutputStream jos = new JarOutputStream(os)) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    byte[] bytes = jar.getInputStream(entry).readAllBytes();
                    if (isPlainClass(entry.getName())) {
                        ClassModel model = classFile.parse(bytes);
                        if (model.majorVersion() < TARGET_MAJOR) {
                            bytes = retarget(classFile, model);
                            rewritten++;
                        }
                    }
                    JarEntry copy = new JarEntry(entry.getName());
                    copy.setTime(entry.getTime());
                    jos.putNextEntry(copy);
                    jos.write(bytes);
                    jos.closeEntry();
                }
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("retargeted " + rewritten + " classes of " + in.getFileName() + " to class-file version "
                + TARGET_MAJOR);
    }

    private static byte[] retarget(ClassFile classFile, ClassModel model) {
        ClassTransform version = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(TARGET_MAJOR, 0);
            } else {
                builder.with(element);
            }
        };
        // Rebuilding every method body (rather than copying it) is what makes the writer compute stack maps.
        byte[] bytes = classFile.transformClass(model,
                version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
        classFile.verify(bytes).stream().findFirst().ifPresent(error -> {
            throw new IllegalStateException(model.thisClass().asInternalName() + ": " + error.getMessage(), error);
        });
        return bytes;
    }

    /** Classes of the jar's base layer (not module-info, not META-INF/versions/...). */
    private static boolean isPlainClass(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class");
    }

    private static Map<String, byte[]> classBytes(JarFile jar) throws IOException {
        Map<String, byte[]> classes = new HashMap<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            if (isPlainClass(entry.getName())) {
                classes.put(entry.getName(), jar.getInputStream(entry).readAllBytes());
            }
        }
        return classes;
    }

    private static String internalName(ClassDesc d) {
        String descriptor = d.descriptorString();
        return descriptor.substring(1, descriptor.length() - 1);
    }

    private static InputStream stream(byte[] bytes) {
        return bytes == null ? null : new ByteArrayInputStream(bytes);
    }
}

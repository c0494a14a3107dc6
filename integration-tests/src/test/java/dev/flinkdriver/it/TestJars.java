package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.KeyedCounters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Packs a test application (a class of {@code dev.flinkdriver.it.apps}) into its own jar with the
 * apps' shared code, or test classes into a library jar for the cluster's class path.
 */
final class TestJars {

    private TestJars() {}

    /** Code the apps share: in every app's jar. */
    private static final List<Class<?>> SHARED = List.of(KeyedCounters.class);

    /**
     * A jar of {@code mainClass} (with its nested and lambda classes) and the apps' shared code.
     */
    static Path jarOf(Class<?> mainClass) throws IOException {
        Path jar = TestPaths.itDir().resolve("apps").resolve(mainClass.getSimpleName() + ".jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jos = new JarOutputStream(out, manifest)) {
            addClass(jos, mainClass);
            for (Class<?> shared : SHARED) {
                if (shared != mainClass) {
                    addClass(jos, shared);
                }
            }
        }
        return jar;
    }

    /**
     * A jar of {@code classes} (each with its nested classes) and a {@code META-INF/services} entry
     * for each service interface of {@code services}, naming its implementations: what Java's
     * service loader finds on a class path.
     */
    static Path libraryJar(
            String name, List<Class<?>> classes, Map<Class<?>, List<Class<?>>> services)
            throws IOException {
        Path jar = TestPaths.itDir().resolve("libs").resolve(name).resolve(name + ".jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jos = new JarOutputStream(out, manifest)) {
            for (Class<?> c : classes) {
                addClass(jos, c);
            }
            for (Map.Entry<Class<?>, List<Class<?>>> service : services.entrySet()) {
                jos.putNextEntry(new JarEntry("META-INF/services/" + service.getKey().getName()));
                for (Class<?> implementation : service.getValue()) {
                    jos.write((implementation.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                }
                jos.closeEntry();
            }
        }
        return jar;
    }

    private static void addClass(JarOutputStream jos, Class<?> type) throws IOException {
        String prefix = type.getName().replace('.', '/');
        Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (var files = Files.list(classes.resolve(prefix).getParent())) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.equals(type.getSimpleName() + ".class")
                        || name.startsWith(type.getSimpleName() + "$")) {
                    jos.putNextEntry(
                            new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    try (InputStream in = Files.newInputStream(f)) {
                        in.transferTo(jos);
                    }
                    jos.closeEntry();
                }
            }
        }
    }
}

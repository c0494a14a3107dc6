package dev.flinkdriver.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Packs a test application (a class of {@code dev.flinkdriver.it.apps}) into its own jar. */
final class TestJars {

    private TestJars() {}

    static Path jarOf(Class<?> mainClass) throws IOException {
        Path jar = TestPaths.itDir().resolve("apps").resolve(mainClass.getSimpleName() + ".jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        String prefix = mainClass.getName().replace('.', '/');
        Path classes =
                Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path dir = classes.resolve(prefix).getParent();
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jos = new JarOutputStream(out, manifest);
                var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                // the class and its nested/lambda classes
                if (name.equals(mainClass.getSimpleName() + ".class")
                        || name.startsWith(mainClass.getSimpleName() + "$")) {
                    jos.putNextEntry(
                            new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    try (InputStream in = Files.newInputStream(f)) {
                        in.transferTo(jos);
                    }
                    jos.closeEntry();
                }
            }
        }
        return jar;
    }
}

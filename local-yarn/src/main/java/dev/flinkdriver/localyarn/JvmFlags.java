package dev.flinkdriver.localyarn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The Java 17 module flags of the daemons this module starts, as the build wrote them from
 * pom.xml's {@code jdk17.flags}, so that the list has one home.
 */
final class JvmFlags {

    private static final String RESOURCE = "jvm-flags.properties";

    private JvmFlags() {}

    static List<String> jdk17() {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the local-yarn jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String flags = p.getProperty("jdk17.flags", "").trim();
        if (flags.isEmpty() || flags.contains("${")) {
            throw new IllegalStateException(RESOURCE + " was not filled in by the build: " + flags);
        }
        return List.of(flags.split("\\s+"));
    }
}

package dev.flinkdriver.client;

import dev.flinkdriver.api.DriverInternalOptions;

import org.apache.flink.configuration.description.HtmlFormatter;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** docs/options.md is what {@link OptionReference} generates from the option classes. */
class OptionReferenceTest {

    private static final String PACKAGE = "dev/flinkdriver";

    @Test
    void theCommittedReferenceIsTheGeneratedOne() throws IOException {
        Path committed = repositoryRoot().resolve("docs").resolve("options.md");
        String generated = OptionReference.generate();
        if (Boolean.getBoolean("options.regenerate")) {
            Files.writeString(committed, generated, StandardCharsets.UTF_8);
        }
        String onDisk =
                Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
        if (!onDisk.equals(generated)) {
            fail(
                    "docs/options.md differs from the ConfigOption classes it documents."
                            + " Regenerate it with: "
                            + OptionReference.REGENERATE);
        }
    }

    @Test
    void everyOptionHasADescription() {
        for (OptionReference.Section section : OptionReference.SECTIONS) {
            for (Field field : OptionReference.optionFields(section.optionsClass())) {
                assertThat(new HtmlFormatter().format(OptionReference.option(field).description()))
                        .as("the description of %s", field)
                        .isNotBlank();
            }
        }
    }

    @Test
    void everyOptionsClassOfTheProjectIsInTheReference() throws Exception {
        Set<String> documented =
                OptionReference.SECTIONS.stream()
                        .map(s -> s.optionsClass().getName())
                        .collect(Collectors.toCollection(TreeSet::new));
        documented.add(DriverInternalOptions.class.getName());

        assertThat(classesWithOptions()).containsExactlyInAnyOrderElementsOf(documented);
    }

    /** The project's classes on the class path that declare public static ConfigOptions. */
    private static Set<String> classesWithOptions() throws Exception {
        ClassLoader loader = OptionReferenceTest.class.getClassLoader();
        Set<String> found = new TreeSet<>();
        for (URL root : Collections.list(loader.getResources(PACKAGE))) {
            for (String name : classNames(root)) {
                Class<?> clazz;
                try {
                    clazz = Class.forName(name, false, loader);
                } catch (LinkageError e) {
                    // A class needing a dependency this module does not have declares no option
                    // of this module's CLI either.
                    continue;
                }
                if (declaresOptions(clazz)) {
                    found.add(name);
                }
            }
        }
        return found;
    }

    private static boolean declaresOptions(Class<?> clazz) {
        try {
            return Arrays.stream(clazz.getDeclaredFields())
                    .anyMatch(OptionReference::isPublicOption);
        } catch (LinkageError e) {
            return false;
        }
    }

    private static List<String> classNames(URL root) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        if ("jar".equals(root.getProtocol())) {
            try (JarFile jar = ((JarURLConnection) root.openConnection()).getJarFile()) {
                jar.stream()
                        .map(e -> e.getName())
                        .filter(n -> n.startsWith(PACKAGE) && n.endsWith(".class"))
                        .forEach(n -> names.add(className(n)));
            }
        } else {
            Path dir = Paths.get(root.toURI());
            Path base = dir;
            for (int i = 0; i < PACKAGE.split("/").length; i++) {
                base = base.getParent();
            }
            Path classRoot = base;
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> p.toString().endsWith(".class"))
                        .forEach(
                                p ->
                                        names.add(
                                                className(
                                                        classRoot
                                                                .relativize(p)
                                                                .toString()
                                                                .replace('\\', '/'))));
            }
        }
        return names;
    }

    private static String className(String resource) {
        return resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
    }

    /** Surefire runs in the module's directory; docs/ is next to it. */
    private static Path repositoryRoot() {
        Path module = Paths.get("").toAbsolutePath();
        Path root = module.getParent();
        assertThat(root.resolve("docs")).as("the repository's docs directory").isDirectory();
        return root;
    }
}

package dev.flinkdriver.client;

import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.resources.DriverResourceOptions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes docs/options.md from the public option classes, the way Flink's flink-docs {@code
 * ConfigOptionsDocGenerator} writes Flink's: one table per class with key, default, type and
 * description, so that the reference cannot drift from the options the code reads.
 */
final class OptionReference {

    /** The option classes users set, in the order of the reference. Internal keys are left out. */
    static final List<Section> SECTIONS =
            List.of(
                    new Section(
                            DriverOptions.class,
                            "The driver application: what main() runs and how its jobs are"
                                    + " treated."),
                    new Section(
                            DriverResourceOptions.class,
                            "The driver's own TaskManager, which runs main() in one task, and the JobManager of a driver application."),
                    new Section(DriverClientOptions.class, "The flink-driver client."),
                    new Section(
                            DriverHaOptions.class,
                            "How the client treats JobManager failover (YARN application"
                                    + " attempts)."),
                    new Section(
                            YarnAclOptions.class,
                            "YARN application ACLs: Flink's own keys, also read from the keys"
                                    + " flink-driver once documented."));

    static final String REGENERATE =
            "mvn -pl yarn-client -am test -Dtest=OptionReferenceTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Doptions.regenerate=true";

    private OptionReference() {}

    /** One options class and what its settings are about. */
    record Section(Class<?> optionsClass, String summary) {}

    static String generate() {
        StringBuilder out = new StringBuilder();
        out.append("<!-- Generated from the ConfigOption classes by OptionReferenceTest; do not")
                .append(" edit.\n     Regenerate with: ")
                .append(REGENERATE)
                .append(" -->\n\n");
        out.append("# Options\n\n");
        out.append("Every setting flink-driver adds to Flink's, generated from the `ConfigOption`")
                .append(" classes that define them.\nSet them like any Flink setting: in")
                .append(" `conf/config.yaml`, or with `-Dkey=value`/`-yD key=value` on the")
                .append(" command line.\n");
        for (Section section : SECTIONS) {
            out.append("\n## ").append(section.optionsClass().getSimpleName()).append("\n\n");
            out.append(section.summary()).append("\n\n");
            out.append("| Key | Default | Type | Description |\n");
            out.append("|---|---|---|---|\n");
            for (Field field : optionFields(section.optionsClass())) {
                out.append(row(field)).append('\n');
            }
        }
        return out.toString();
    }

    /** The public static ConfigOption fields of a class, ordered by key as Flink's tables are. */
    static List<Field> optionFields(Class<?> optionsClass) {
        return Arrays.stream(optionsClass.getDeclaredFields())
                .filter(OptionReference::isPublicOption)
                .sorted(Comparator.comparing(f -> option(f).key()))
                .collect(Collectors.toList());
    }

    /** A public static ConfigOption the class declares itself (not one it inherits). */
    static boolean isPublicOption(Field field) {
        int modifiers = field.getModifiers();
        return Modifier.isPublic(modifiers)
                && Modifier.isStatic(modifiers)
                && field.getType() == ConfigOption.class;
    }

    static ConfigOption<?> option(Field field) {
        try {
            return (ConfigOption<?>) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read " + field, e);
        }
    }

    private static String row(Field field) {
        ConfigOption<?> option = option(field);
        List<String> cells = new ArrayList<>();
        cells.add(key(option));
        cells.add(option.hasDefaultValue() ? defaultValue(option.defaultValue()) : "(none)");
        Type valueType = valueType(field);
        cells.add(typeName(valueType));
        cells.add(description(option, valueType));
        return "| " + String.join(" | ", cells) + " |";
    }

    private static String key(ConfigOption<?> option) {
        StringBuilder key = new StringBuilder(code(option.key()));
        List<String> fallback = new ArrayList<>();
        List<String> deprecated = new ArrayList<>();
        for (FallbackKey k : option.fallbackKeys()) {
            (k.isDeprecated() ? deprecated : fallback).add(code(k.getKey()));
        }
        if (!fallback.isEmpty()) {
            key.append("<br />Fallback: ").append(String.join(", ", fallback));
        }
        if (!deprecated.isEmpty()) {
            key.append("<br />Deprecated: ").append(String.join(", ", deprecated));
        }
        return key.toString();
    }

    /** As Flink's generator prints defaults: durations in their highest unit, lists with ';'. */
    private static String defaultValue(Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty()
                    ? "(empty)"
                    : code(list.stream().map(String::valueOf).collect(Collectors.joining(";")));
        }
        if (value instanceof Duration duration) {
            return code(TimeUtils.formatWithHighestUnit(duration));
        }
        if (value instanceof String string) {
            return code("\"" + string + "\"");
        }
        if (value instanceof Enum<?> constant) {
            return code(constant.name());
        }
        if (value instanceof MemorySize || value instanceof Number || value instanceof Boolean) {
            return code(String.valueOf(value));
        }
        throw new IllegalStateException("No format for a default of " + value.getClass());
    }

    /** T of a {@code ConfigOption<T>} field. */
    private static Type valueType(Field field) {
        return ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0];
    }

    private static String typeName(Type type) {
        if (type instanceof ParameterizedType list) {
            return "List&lt;" + typeName(list.getActualTypeArguments()[0]) + "&gt;";
        }
        Class<?> clazz = (Class<?>) type;
        return clazz.isEnum() ? "Enum" : clazz.getSimpleName();
    }

    private static String description(ConfigOption<?> option, Type valueType) {
        String text = new HtmlFormatter().format(option.description());
        if (valueType instanceof Class<?> clazz && clazz.isEnum()) {
            text +=
                    "<br /><br />Possible values: "
                            + Arrays.stream(clazz.getEnumConstants())
                                    .map(c -> code(((Enum<?>) c).name()))
                                    .collect(Collectors.joining(", "));
        }
        return cell(text);
    }

    private static String code(String text) {
        return "<code>" + cell(escape(text)) + "</code>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A Markdown table cell ends at a '|' or a line break, wherever it is. */
    private static String cell(String html) {
        return html.replace("|", "&#124;").replace("\n", "<br />");
    }
}

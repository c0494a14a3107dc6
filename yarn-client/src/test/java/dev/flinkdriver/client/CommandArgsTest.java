package dev.flinkdriver.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandArgsTest {

    @Test
    void flagsValuesAndPositionals() throws Exception {
        CommandArgs a =
                CommandArgs.parse(
                        new String[] {"application_1_2", "--wait", "--output", "json"},
                        List.of("--wait"),
                        List.of("--output"));
        assertThat(a.positional()).containsExactly("application_1_2");
        assertThat(a.has("--wait")).isTrue();
        assertThat(a.json()).isTrue();
    }

    @Test
    void unknownOptionsAndOutputsAreUsageErrors() {
        assertThatThrownBy(() -> CommandArgs.parse(new String[] {"-x"}, List.of(), List.of()))
                .isInstanceOf(CliException.class)
                .hasMessage("Unknown option -x");
        assertThatThrownBy(
                        () ->
                                CommandArgs.parse(
                                        new String[] {"--output", "xml"},
                                        List.of(),
                                        List.of("--output")))
                .hasMessageContaining("json or text");
        assertThatThrownBy(
                        () ->
                                CommandArgs.parse(
                                        new String[] {"--output"}, List.of(), List.of("--output")))
                .hasMessageContaining("needs a value");
    }
}

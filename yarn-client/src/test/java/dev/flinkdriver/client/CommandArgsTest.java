package dev.flinkdriver.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandArgsTest {

    @Test
    void flagsValuesAndPositionals() throws Exception {
        CommandArgs a =
                CommandArgs.parse(
                        new String[] {"application_1_2", "--wait", "--output", "json"},
                        CommandArgs.WAIT,
                        CommandArgs.OUTPUT);
        assertThat(a.positional()).containsExactly("application_1_2");
        assertThat(a.has(CommandArgs.WAIT)).isTrue();
        assertThat(a.json()).isTrue();
    }

    @Test
    void unknownOptionsAndOutputsAreUsageErrors() {
        assertThatThrownBy(() -> CommandArgs.parse(new String[] {"-x"}))
                .isInstanceOf(CliException.class)
                .hasMessage("Unknown option -x");
        assertThatThrownBy(() -> CommandArgs.parse(new String[] {"--wai"}, CommandArgs.WAIT))
                .as("no partial matching")
                .hasMessage("Unknown option --wai");
        assertThatThrownBy(
                        () ->
                                CommandArgs.parse(
                                        new String[] {"--output", "xml"}, CommandArgs.OUTPUT))
                .hasMessageContaining("json or text");
        assertThatThrownBy(() -> CommandArgs.parse(new String[] {"--output"}, CommandArgs.OUTPUT))
                .hasMessageContaining("needs a value");
    }

    @Test
    void flinksOwnListIsNotDriverModes() {
        assertThat(CommandArgs.isOwn(new String[] {}, CommandArgs.ALL, CommandArgs.OUTPUT))
                .isTrue();
        assertThat(
                        CommandArgs.isOwn(
                                new String[] {"--all", "--output", "json"},
                                CommandArgs.ALL,
                                CommandArgs.OUTPUT))
                .isTrue();
        assertThat(CommandArgs.isOwn(new String[] {"--output"}, CommandArgs.OUTPUT))
                .as("ours, and a usage error")
                .isTrue();
        assertThat(
                        CommandArgs.isOwn(
                                new String[] {"-m", "host:8081"},
                                CommandArgs.ALL,
                                CommandArgs.OUTPUT))
                .isFalse();
        assertThat(CommandArgs.isOwn(new String[] {"-r"}, CommandArgs.ALL, CommandArgs.OUTPUT))
                .isFalse();
    }
}

package dev.flinkdriver.api;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DriverApplicationNamesTest {

    @Test
    void aNameTheUserGaveWins() {
        Configuration configuration = new Configuration();
        configuration.set(DriverOptions.MAIN_CLASS, "com.acme.Main");
        configuration.setString("yarn.application.name", "nightly");
        assertThat(DriverApplicationNames.of(configuration)).isEqualTo("nightly");

        configuration.set(DriverOptions.APPLICATION_NAME, "orders");
        assertThat(DriverApplicationNames.of(configuration)).isEqualTo("orders");
    }

    @Test
    void otherwiseTheMainClassNamesIt() {
        Configuration configuration = new Configuration();
        configuration.set(DriverOptions.MAIN_CLASS, "com.acme.Main");

        assertThat(DriverApplicationNames.of(configuration))
                .isEqualTo("Flink Driver: com.acme.Main")
                .isEqualTo(DriverApplicationNames.of("com.acme.Main"));
        assertThat(DriverApplicationNames.of(new Configuration())).isEqualTo("Flink Driver");
    }
}

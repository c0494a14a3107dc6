package dev.flinkdriver.client;

import org.apache.flink.client.cli.CliFrontend;
import org.apache.flink.configuration.GlobalConfiguration;

import org.apache.commons.cli.Options;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DriverArgsTest {

    /** As bin/flink-driver builds them, from the unit tests' FLINK_CONF_DIR. */
    private static final Options RUN_OPTIONS =
            DriverRunCommand.runOptions(
                    GlobalConfiguration.loadConfiguration(
                            CliFrontend.getConfigurationDirectoryFromEnv()),
                    CliFrontend.getConfigurationDirectoryFromEnv());

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // input | rewritten | driver mode
                "-D app.jar | --driver app.jar | true",
                "--driver app.jar | --driver app.jar | true",
                "-Dk=v -D -m yarn-cluster app.jar | -Dk=v --driver -m yarn-cluster app.jar | true",
                "-m yarn-cluster -Dk=v app.jar | -m yarn-cluster -Dk=v app.jar | false",
                // after the jar, -D belongs to main()
                "app.jar -D x | app.jar -D x | false",
                // an option's value is not the jar
                "-c com.acme.Main -D app.jar -D | -c com.acme.Main --driver app.jar -D | true",
                "-yD k=v -D app.jar | -yD k=v --driver app.jar | true",
                // -D key=value is Flink's dynamic property; a path is the jar
                "-D k=v app.jar | -D k=v app.jar | false",
                "-D k=v -D app.jar | -D k=v --driver app.jar | true",
                "-D /apps/build=7/app.jar | --driver /apps/build=7/app.jar | true",
                "--driverheapmemory 1024 -D app.jar a b | --driverheapmemory 1024 --driver app.jar a b | true",
                // the values of Flink's own and its YARN command line's options are no jar either
                "-yqu batch -D app.jar | -yqu batch --driver app.jar | true",
                "--yarnname n -ys 2 -D app.jar | --yarnname n -ys 2 --driver app.jar | true",
                "-s /sp -z ns -e yarn-session -D app.jar | -s /sp -z ns -e yarn-session --driver app.jar | true",
                // options without a value are followed by the next option or the jar
                "-n -sae -D app.jar | -n -sae --driver app.jar | true",
            })
    void bareDIsDriverModeAndDynamicPropertiesStay(String in, String out, boolean driver) {
        DriverArgs.Normalized n = DriverArgs.normalize(in.split(" "), RUN_OPTIONS);
        assertThat(String.join(" ", n.args())).isEqualTo(out);
        assertThat(n.driverMode()).isEqualTo(driver);
    }
}

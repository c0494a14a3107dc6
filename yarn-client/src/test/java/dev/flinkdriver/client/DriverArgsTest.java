package dev.flinkdriver.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DriverArgsTest {

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
                "--driverheapmemory 1024 -D app.jar a b | --driverheapmemory 1024 --driver app.jar a b | true",
            })
    void bareDIsDriverModeAndDynamicPropertiesStay(String in, String out, boolean driver) {
        DriverArgs.Normalized n = DriverArgs.normalize(in.split(" "));
        assertThat(String.join(" ", n.args())).isEqualTo(out);
        assertThat(n.driverMode()).isEqualTo(driver);
    }
}

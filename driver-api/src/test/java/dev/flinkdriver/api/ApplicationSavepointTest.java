package dev.flinkdriver.api;

import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApplicationSavepointTest {

    @TempDir java.nio.file.Path tmp;

    private static final ApplicationSavepoint TWO_JOBS =
            new ApplicationSavepoint(
                    "application_1733360000000_0007",
                    "Flink Driver: com.acme.Main",
                    Instant.parse("2026-12-05T01:02:03.456Z"),
                    "2.3.0",
                    false,
                    List.of(
                            new ApplicationSavepoint.Job(
                                    3, "gamma", "c3", "hdfs:///elsewhere/savepoint-cccccc-3"),
                            new ApplicationSavepoint.Job(1, "alpha", "a1", "savepoint-aaaaaa-1")));

    @Test
    void writtenManifestReadsBackSortedByPosition() throws Exception {
        Path dir = new Path(tmp.toUri());
        TWO_JOBS.write(dir);

        ApplicationSavepoint read = ApplicationSavepoint.read(dir);

        assertThat(read.applicationId()).isEqualTo("application_1733360000000_0007");
        assertThat(read.applicationName()).isEqualTo("Flink Driver: com.acme.Main");
        assertThat(read.time()).isEqualTo(Instant.parse("2026-12-05T01:02:03.456Z"));
        assertThat(read.flinkVersion()).isEqualTo("2.3.0");
        assertThat(read.stopped()).isFalse();
        assertThat(read.jobs())
                .extracting(ApplicationSavepoint.Job::position)
                .containsExactly(1, 3);
        assertThat(read.job(2)).isEmpty();
        assertThat(read.job(3).orElseThrow().name()).isEqualTo("gamma");
    }

    @Test
    void manifestIsNotOverwritten() throws Exception {
        Path dir = new Path(tmp.toUri());
        TWO_JOBS.write(dir);

        assertThatThrownBy(() -> TWO_JOBS.write(dir)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void savepointsInsideTheDirectoryAreRecordedRelativeToIt() {
        Path dir = new Path("hdfs://nn:8020/savepoints/application-savepoint-x");

        String inside =
                ApplicationSavepoint.recordedPath(
                        dir, "hdfs://nn:8020/savepoints/application-savepoint-x/savepoint-ab-12");
        String outside = ApplicationSavepoint.recordedPath(dir, "hdfs://nn:8020/other/sp-1");

        assertThat(inside).isEqualTo("savepoint-ab-12");
        assertThat(outside).isEqualTo("hdfs://nn:8020/other/sp-1");
        assertThat(
                        ApplicationSavepoint.resolve(
                                new Path("file:/moved/here"),
                                new ApplicationSavepoint.Job(1, "a", "j", inside)))
                .isEqualTo(new Path("file:/moved/here/savepoint-ab-12"));
        assertThat(
                        ApplicationSavepoint.resolve(
                                new Path("file:/moved/here"),
                                new ApplicationSavepoint.Job(1, "a", "j", outside)))
                .isEqualTo(new Path("hdfs://nn:8020/other/sp-1"));
    }

    @Test
    void directoryOfTellsApplicationSavepointsFromFlinkSavepoints() throws Exception {
        java.nio.file.Path application = Files.createDirectories(tmp.resolve("app"));
        TWO_JOBS.write(new Path(application.toUri()));
        java.nio.file.Path plain = Files.createDirectories(tmp.resolve("savepoint-aaaaaa-1"));
        Files.writeString(plain.resolve("_metadata"), "x");

        assertThat(ApplicationSavepoint.directoryOf(new Path(application.toUri())))
                .hasValue(new Path(application.toUri()));
        assertThat(
                        ApplicationSavepoint.directoryOf(
                                new Path(
                                        application
                                                .resolve(ApplicationSavepoint.MANIFEST)
                                                .toUri())))
                .hasValueSatisfying(
                        p -> assertThat(p.toUri().getPath()).isEqualTo(application.toString()));
        assertThat(ApplicationSavepoint.directoryOf(new Path(plain.toUri()))).isEmpty();
        assertThat(ApplicationSavepoint.directoryOf(new Path(plain.resolve("_metadata").toUri())))
                .isEmpty();
    }

    @Test
    void anotherFormatVersionIsRefusedNamingBoth() {
        String json = TWO_JOBS.toJson().replace("\"formatVersion\" : 1", "\"formatVersion\" : 2");

        assertThatThrownBy(() -> ApplicationSavepoint.parse(json, "m.json"))
                .isInstanceOf(ApplicationSavepoint.InvalidManifestException.class)
                .hasMessage("m.json has format version 2; this flink-driver reads version 1");
    }

    @Test
    void otherJsonIsNoManifest() {
        assertThatThrownBy(() -> ApplicationSavepoint.parse("{\"jobs\": []}", "m.json"))
                .hasMessage("m.json is not a manifest of an application savepoint");
        assertThatThrownBy(() -> ApplicationSavepoint.parse("{ jobs", "m.json"))
                .hasMessageStartingWith("m.json is not JSON: ");
        assertThatThrownBy(
                        () ->
                                ApplicationSavepoint.parse(
                                        TWO_JOBS.toJson().replace("\"name\"", "\"label\""),
                                        "m.json"))
                .hasMessage("m.json lacks the field 'name'");
    }

    @Test
    void twoSavepointsForOnePositionAreInvalid() {
        String json = TWO_JOBS.toJson().replace("\"position\" : 3", "\"position\" : 1");

        assertThatThrownBy(() -> ApplicationSavepoint.parse(json, "m.json"))
                .hasMessage("m.json is invalid: Two savepoints for position 1");
    }
}

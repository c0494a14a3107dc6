package dev.flinkdriver.client;

import dev.flinkdriver.dispatcher.DriverJobDecorator;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The jobs of a running driver application, from Flink's REST API ({@code /jobs/overview}) at the
 * ApplicationMaster's own address. The driver job carries the application's name; the jobs main()
 * submitted carry it as their prefix.
 */
final class DriverJobsView {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the driver puts after the prefix of a DAEMON job's name. */
    static final String DAEMON_MARK = DriverJobDecorator.DAEMON_MARK;

    /** One job as status shows it. */
    record Job(
            String id,
            String name,
            String state,
            String priority,
            long startMillis,
            long durationMillis) {}

    private DriverJobsView() {}

    /** The driver job has the application's name; DAEMON jobs are marked in their names. */
    static String priority(String jobName, String applicationName) {
        if (jobName.equals(applicationName)) {
            return "DRIVER";
        }
        return jobName.contains(DAEMON_MARK) ? "DAEMON" : "NORMAL";
    }

    static List<Job> fetch(String restBaseUrl, String applicationName) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                restBaseUrl.replaceAll("/+$", "")
                                                        + "/jobs/overview"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Flink's REST API answered " + r.statusCode());
        }
        List<Job> jobs = new ArrayList<>();
        for (JsonNode j : JSON.readTree(r.body()).get("jobs")) {
            String name = j.get("name").asText();
            jobs.add(
                    new Job(
                            j.get("jid").asText(),
                            name,
                            j.get("state").asText(),
                            priority(name, applicationName),
                            j.get("start-time").asLong(),
                            j.get("duration").asLong()));
        }
        jobs.sort(Comparator.comparingLong(Job::startMillis));
        return jobs;
    }
}

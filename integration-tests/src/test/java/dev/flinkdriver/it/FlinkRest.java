package dev.flinkdriver.it;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Reads Flink's (or YARN's) REST API the way a user's script would. */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();

    private FlinkRest() {}

    static JsonNode get(String baseUrl, String path) throws Exception {
        String url = baseUrl.replaceAll("/+$", "") + path;
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Accept", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " -> " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Name -> state of the cluster's jobs whose names start with {@code prefix}, by name. */
    static Map<String, String> jobStates(String restUrl, String prefix) throws Exception {
        Map<String, String> states = new TreeMap<>();
        for (JsonNode job : get(restUrl, "/jobs/overview").get("jobs")) {
            String name = job.get("name").asText();
            if (name.startsWith(prefix)) {
                states.put(name, job.get("state").asText());
            }
        }
        return states;
    }
}

package io.intakehub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intakehub.local.FreePorts;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar — what the Dockerfile runs — starts on its embedded default, loads every route of routes/ and
 * takes a web order. Run by {@code mvn verify} after the jar is built (failsafe): the tests before it run from
 * classes, where resources resolve differently than inside the nested jar (a multi-level route pattern once kept
 * the jar from starting while every other test passed).
 */
class PackagedJarIT {

    @Test
    void thePackagedJarStartsWithEveryRouteAndTakesAnOrder() throws Exception {
        Path work = Path.of("target/jar-it", UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(work);
        int http = FreePorts.find();
        String jar = System.getProperty("hub.jar", "target/intake-hub-0.1.0-SNAPSHOT.jar");
        Process hub = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                Path.of(jar).toAbsolutePath().toString(), "--hub.embedded.data-dir=" + work.resolve("data"), "--server.port=" + http,
                "--hub.embedded.kafka-port=0", "--hub.embedded.artemis-port=0", "--hub.embedded.smtp-port=0",
                "--hub.embedded.imap-port=0", "--hub.edi.sftp-port=0")
                .redirectErrorStream(true).redirectOutput(work.resolve("hub.log").toFile()).start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            int status = -1;
            while (status != 200 && System.nanoTime() < until && hub.isAlive()) {
                Thread.sleep(500);
                try {
                    status = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http + "/actuator/health/readiness")).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException notYet) {
                    status = -1;
                }
            }
            assertThat(status).as(() -> "ready; " + io.intakehub.faults.FaultHarness.tail(work.resolve("hub.log"))).isEqualTo(200);

            String auth = "Basic " + Base64.getEncoder().encodeToString("viewer:viewer-dev".getBytes(StandardCharsets.UTF_8));
            JsonNode routes = new ObjectMapper().readTree(client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http + "/ops/v1/routes"))
                    .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(routes.findValuesAsText("id")).containsAll(routeIdsInRoutesFolder());

            String order = Files.readString(Path.of("src/test/resources/samples/web/order-en.json"));
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http + "/api/v1/orders"))
                    .header("Content-Type", "application/json").header("X-Api-Key", "local-dev-key")
                    .POST(HttpRequest.BodyPublishers.ofString(order)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
        } finally {
            hub.destroy();
            if (!hub.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                hub.destroyForcibly().waitFor();
            }
        }
    }

    /** Every {@code - route: id: …} of the YAML files under routes/. */
    static List<String> routeIdsInRoutesFolder() throws Exception {
        List<String> ids = new ArrayList<>();
        Pattern route = Pattern.compile("(?m)^- route:\\s*\\n\\s+id: (\\S+)");
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                Matcher m = route.matcher(Files.readString(f));
                while (m.find()) {
                    ids.add(m.group(1));
                }
            }
        }
        assertThat(ids).hasSizeGreaterThan(15);
        return ids;
    }
}

package io.tributary.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} on a node nobody uses yet, as curl, Prometheus and promtool see it. */
class MetricsRouteTest {
    /** What Prometheus 2.x sends when it scrapes. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static TestNode node;
    private static ApiClient api;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        node = TestNode.builder().set("nodeId", "metrics-1").start();
        api = new ApiClient(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void curlGetsTheTextFormatWithEveryNamePrefixedAndEverySeriesNamingTheNode() {
        ApiClient.Reply r = api.get("/metrics");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Scrape scrape = Scrape.parse(r.body());
        assertThat(scrape.samples()).hasSizeGreaterThan(50).allSatisfy(s -> {
            assertThat(s.name()).startsWith("tributary_");
            assertThat(s.labels()).containsEntry("node", "metrics-1");
        });
        assertThat(scrape.names()).contains("tributary_jvm_memory_used_bytes", "tributary_jvm_gc_live_data_size_bytes",
                "tributary_jvm_threads_live_threads", "tributary_process_cpu_usage", "tributary_system_cpu_usage",
                "tributary_process_uptime_seconds", "tributary_node_cpu_ratio", "tributary_node_heap_used_ratio",
                "tributary_ingress_bytes_total", "tributary_egress_bytes_total", "tributary_connections",
                "tributary_streams", "tributary_publishers", "tributary_players", "tributary_relay_pulls",
                "tributary_relay_pull_attempts_total", "tributary_relay_pull_failures_total",
                "tributary_cluster_nodes", "tributary_cluster_notifications_total", "tributary_store_available",
                "tributary_store_query_seconds_bucket");
    }

    @Test
    void anIdleNodeShowsNoTrafficAndAClusterOfItselfAlone() {
        Scrape scrape = Scrape.of(node);

        assertThat(scrape.value("tributary_streams")).isZero();
        assertThat(scrape.value("tributary_publishers")).isZero();
        for (String protocol : List.of("rtmp", "http_flv", "hls", "dash")) {
            assertThat(scrape.value("tributary_players", "protocol", protocol)).as(protocol).isZero();
        }
        assertThat(scrape.value("tributary_connections", "protocol", "rtmp")).isZero();
        assertThat(scrape.value("tributary_connections", "protocol", "http"))
                .as("the scrape's own connection").isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("tributary_ingress_bytes_total")).isZero();
        assertThat(scrape.value("tributary_cluster_nodes", "state", "alive")).isEqualTo(1);
        assertThat(scrape.value("tributary_cluster_nodes", "state", "dead")).isZero();
        assertThat(scrape.all("tributary_peer_state")).as("a node on its own has no peers").isEmpty();
        assertThat(scrape.value("tributary_store_available")).isEqualTo(1);
        assertThat(scrape.value("tributary_cluster_notifications_total", "result", "sent")).isZero();
        assertThat(scrape.value("tributary_node_cpu_ratio")).isBetween(0.0, 1.0);
        assertThat(scrape.value("tributary_node_heap_used_ratio")).isGreaterThan(0.0).isLessThan(1.0);
    }

    @Test
    void prometheusGetsOpenMetricsWhenItAsksForIt() {
        ApiClient.Reply r = api.send(HttpRequest.newBuilder(api.uri("/metrics")).header("Accept", PROMETHEUS_ACCEPT)
                .GET().build());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(r.body()).contains("# TYPE tributary_ingress_bytes counter\n",
                "# TYPE tributary_store_query_seconds histogram\n").endsWith("# EOF\n");
    }

    @Test
    void promtoolFindsNothingToFixInTheExposition() throws Exception {
        Path scrape = dir.resolve("metrics.txt");
        Files.writeString(scrape, api.get("/metrics").body());

        Process lint = new ProcessBuilder("promtool", "check", "metrics").redirectInput(scrape.toFile())
                .redirectErrorStream(true).start();
        assertThat(lint.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String said = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.exitValue()).as(said).isZero();
        assertThat(said).isEmpty();
    }

    @Test
    void everyClusterStoreCallIsTimedByOperation() {
        Scrape before = Scrape.of(node);
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/live/rest/v2/broadcasts/create", "{\"streamId\":\"timed-" + i + "\"}").status())
                    .isEqualTo(200);
        }
        assertThat(api.get("/live/rest/v2/broadcasts/list/0/10").status()).isEqualTo(200);

        Scrape after = Scrape.of(node);
        assertThat(count(after, "create") - count(before, "create")).isEqualTo(3);
        assertThat(count(after, "list") - count(before, "list")).isEqualTo(1);
        assertThat(after.value("tributary_store_query_seconds_sum", "operation", "create")).isPositive();
        assertThat(after.value("tributary_store_query_seconds_bucket", "operation", "create", "le", "+Inf"))
                .isEqualTo(count(after, "create"));
        assertThat(after.value("tributary_store_query_seconds_bucket", "operation", "create", "le", "0.1"))
                .as("the 100 ms bucket the alert reads").isBetween(0.0, count(after, "create"));
        assertThat(count(after, "putNode")).as("membership's calls are timed too: the node's registration")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void withMetricsDisabledThereIsNoEndpoint() {
        try (TestNode quiet = TestNode.builder().set("metrics.enabled", "false").start()) {
            assertThat(new ApiClient(quiet).get("/metrics").status()).isEqualTo(404);
            assertThat(new ApiClient(quiet).get("/health").status()).isEqualTo(200);
        }
    }

    private static double count(Scrape scrape, String operation) {
        List<Scrape.Sample> found = scrape.all("tributary_store_query_seconds_count", "operation", operation);
        return found.isEmpty() ? 0 : found.get(0).value();
    }
}

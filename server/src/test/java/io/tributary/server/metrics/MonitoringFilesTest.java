package io.tributary.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus configuration and alert rules pass promtool (Prometheus's own checker) and the
 * rules' unit tests; the Grafana dashboard is one Grafana imports. That every metric they use exists is
 * checked against real scrapes in {@link ClusterMetersTest}.
 */
class MonitoringFilesTest {

    @Test
    void promtoolAcceptsTheScrapeConfigurationAndTheAlertRules() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml")).contains("SUCCESS: prometheus.yml is valid");
        assertThat(promtool("check", "rules", "tributary-alerts.yml")).contains("SUCCESS: 12 rules found");
    }

    @Test
    void theAlertsFireAtTheThresholdsOfTheClusterGuide() throws Exception {
        assertThat(promtool("test", "rules", "tributary-alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertHasASeverityAndASummary() {
        JsonNode rules = MonitoringFiles.read(MonitoringFiles.ALERT_RULES, new ObjectMapper(new YAMLFactory()));
        List<JsonNode> all = new ArrayList<>();
        rules.path("groups").forEach(g -> g.path("rules").forEach(all::add));
        assertThat(all).hasSize(12).allSatisfy(rule -> {
            assertThat(rule.path("alert").asText()).startsWith("Tributary");
            assertThat(rule.path("labels").path("severity").asText()).isIn("critical", "warning", "info");
            assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
        });
    }

    @Test
    void theDashboardIsAGrafanaDashboardWithAQueryInEveryPanel() {
        JsonNode d = MonitoringFiles.read(MonitoringFiles.DASHBOARD, new ObjectMapper());

        assertThat(d.path("uid").asText()).isEqualTo("tributary-cluster");
        assertThat(d.path("__inputs").get(0).path("pluginId").asText()).isEqualTo("prometheus");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : d.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.path("expr").asText()).contains("tributary_"));
        }
        assertThat(MonitoringFiles.dashboard().metrics()).contains("tributary_node_cpu_ratio",
                "tributary_node_heap_used_ratio", "tributary_egress_bytes_total", "tributary_publishers",
                "tributary_players", "tributary_stream_viewers", "tributary_store_query_seconds_bucket",
                "tributary_peer_heartbeat_age_seconds");
    }

    /** Runs promtool in deploy/prometheus; fails unless it exits 0. Returns what it printed. */
    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Path dir = MonitoringFiles.PROMETHEUS;
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("promtool " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }
}

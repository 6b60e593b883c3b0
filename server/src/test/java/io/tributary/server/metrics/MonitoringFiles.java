package io.tributary.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tributary.server.testing.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The monitoring set-up the project ships (deploy/prometheus, deploy/grafana) and the queries in it. */
final class MonitoringFiles {
    static final Path PROMETHEUS = Repository.root().resolve("deploy/prometheus");
    static final Path ALERT_RULES = PROMETHEUS.resolve("tributary-alerts.yml");
    static final Path DASHBOARD = Repository.root().resolve("deploy/grafana/tributary-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\btributary_[a-zA-Z0-9_]+");

    /** PromQL expressions from one file. */
    record Queries(List<String> expressions) {

        /** The Tributary metrics the expressions read. */
        Set<String> metrics() {
            Set<String> names = new TreeSet<>();
            for (String e : expressions) {
                Matcher m = METRIC.matcher(e);
                while (m.find()) {
                    names.add(m.group());
                }
            }
            return names;
        }
    }

    private MonitoringFiles() {
    }

    /** The {@code expr} of every rule in the alert rules file. */
    static Queries alertRules() {
        List<String> exprs = new ArrayList<>();
        for (JsonNode group : read(ALERT_RULES, new ObjectMapper(new YAMLFactory())).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                exprs.add(rule.path("expr").asText());
            }
        }
        return new Queries(exprs);
    }

    /** The {@code expr} of every panel's targets in the Grafana dashboard. */
    static Queries dashboard() {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : read(DASHBOARD, new ObjectMapper()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asText());
            }
        }
        return new Queries(exprs);
    }

    static JsonNode read(Path file, ObjectMapper mapper) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

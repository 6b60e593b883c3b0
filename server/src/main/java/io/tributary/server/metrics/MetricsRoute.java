package io.tributary.server.metrics;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.util.Map;

/**
 * {@code GET /metrics}: Prometheus scrapes it. Open like {@code /health}; it answers in OpenMetrics when the
 * scraper's {@code Accept} header asks for it (Prometheus does), in the classic text format otherwise (curl).
 */
public final class MetricsRoute {
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final NodeMetrics metrics;

    public MetricsRoute(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/metrics", r -> {
            String accept = r.header("Accept");
            String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
            return new Response(HttpResponseStatus.OK, type, metrics.scrape(type), Map.of());
        });
    }
}

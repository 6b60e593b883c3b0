package io.tributary.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;

/**
 * {@code GET /health}: 200 while the node serves, 503 while it drains ({@code "draining"}: it takes no new
 * clients) or stops; load balancers poll it and send new clients elsewhere on anything but 200.
 */
public final class HealthRoute {

    /** The body: enough for an operator's curl, small enough for a probe every second. */
    public record Health(String status, String nodeId, long uptimeSeconds, int publishers, int players) {
    }

    private final Supplier<Health> health;

    public HealthRoute(Supplier<Health> health) {
        this.health = health;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/health", r -> {
            Health h = health.get();
            return Response.json("serving".equals(h.status()) ? HttpResponseStatus.OK
                    : HttpResponseStatus.SERVICE_UNAVAILABLE, h);
        });
    }
}

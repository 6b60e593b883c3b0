package io.tributary.server.broadcast;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.util.List;

/**
 * {@code GET /rest/v2/applications} → {@code {"applications": ["live", ...]}}, as in Ant Media Server: the
 * applications this node serves (the {@code apps} setting), so a client can list every application's
 * broadcasts.
 */
public final class ApplicationsRoute {

    /** The answer. */
    public record Applications(@JsonProperty("applications") List<String> applications) {
    }

    private final List<String> apps;

    public ApplicationsRoute(List<String> apps) {
        this.apps = List.copyOf(apps);
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/rest/v2/applications", r -> Response.ok(new Applications(apps)));
    }
}

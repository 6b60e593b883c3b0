package io.tributary.server.lb;

import io.netty.handler.codec.http.HttpMethod;
import io.tributary.media.Addresses;
import io.tributary.server.NodeDrain;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Result;
import io.tributary.server.http.Router;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /rest/v2/cluster/drain} drains the node answering and {@code DELETE} ends it. A draining
 * node refuses new publishers and players and answers {@code /health} with 503, so a load balancer stops
 * sending it any, while its current ones carry on: an operator drains a node, waits for its clients to
 * go (its /health counts them), then stops it.
 */
public final class DrainRoutes {
    private static final Logger log = LoggerFactory.getLogger(DrainRoutes.class);
    public static final String PATH = "/rest/v2/cluster/drain";

    private final NodeDrain drain;
    private final Supplier<String> nodeId;

    public DrainRoutes(NodeDrain drain, Supplier<String> nodeId) {
        this.drain = drain;
        this.nodeId = nodeId;
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, PATH, r -> set(r, true))
                .add(HttpMethod.DELETE, PATH, r -> set(r, false));
    }

    /** Drains this node ({@code on}) or ends its drain, and says what changed. */
    public Response set(Request r, boolean on) {
        String id = nodeId.get();
        boolean changed = drain.set(on);
        if (changed) {
            log.info(on ? "node {} draining (asked from {}): new publishers and players are refused, current "
                    + "ones carry on" : "node {} no longer draining (asked from {}): it takes new publishers and "
                    + "players again", id, Addresses.host(r.client()));
        }
        String message = on
                ? "Node " + id + (changed ? " is now" : " was already")
                        + " draining: it takes no new publishers or players; current ones carry on."
                : "Node " + id + (changed ? " no longer drains" : " was not draining")
                        + ": it takes new publishers and players.";
        return Response.ok(new Result(true, message, id));
    }
}

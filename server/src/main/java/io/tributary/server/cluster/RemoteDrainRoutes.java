package io.tributary.server.cluster;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.membership.NodeView;
import io.tributary.cluster.node.NodeState;
import io.tributary.server.http.NotFoundException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import io.tributary.server.lb.DrainRoutes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST} / {@code DELETE /rest/v2/cluster/nodes/{id}/drain}: drains (or stops draining) any node of
 * the cluster from whichever node is asked, so the dashboard can drain every node it lists. The node
 * answering handles its own id itself; another live node's id is forwarded to that node's
 * {@code /rest/v2/cluster/drain} with a cluster token, and its answer is passed back as it is.
 */
public final class RemoteDrainRoutes {
    /** This node's own drain switch: the handler of {@code POST/DELETE /rest/v2/cluster/drain}. */
    @FunctionalInterface
    public interface LocalDrain {
        Response set(Request request, boolean on);
    }

    private final Membership membership;
    private final PeerClient peers;
    private final LocalDrain local;

    public RemoteDrainRoutes(Membership membership, PeerClient peers, LocalDrain local) {
        this.membership = membership;
        this.peers = peers;
        this.local = local;
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, "/rest/v2/cluster/nodes/{id}/drain", r -> drain(r, true))
                .add(HttpMethod.DELETE, "/rest/v2/cluster/nodes/{id}/drain", r -> drain(r, false));
    }

    private Response drain(Request r, boolean on) throws InterruptedException {
        String id = r.param("id");
        NodeView view = membership.nodes().stream().filter(v -> v.record().id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("No node " + id + " in the cluster."));
        if (view.self()) {
            return local.set(r, on);
        }
        if (view.state() == NodeState.DEAD) {
            return Response.error(HttpResponseStatus.CONFLICT, "Node " + id + " is dead; there is nothing to drain.");
        }
        if (!peers.enabled()) {
            return Response.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "This node has no cluster secret, so it "
                    + "cannot ask node " + id + "; drain it at its own address.");
        }
        try {
            PeerClient.Reply reply = peers.send(view.record(), on ? "POST" : "DELETE", DrainRoutes.PATH)
                    .get(peers.timeout().toMillis() + 500, TimeUnit.MILLISECONDS);
            return new Response(HttpResponseStatus.valueOf(reply.status()), Response.JSON,
                    reply.body().getBytes(StandardCharsets.UTF_8), Map.of());
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return Response.error(HttpResponseStatus.BAD_GATEWAY, "Node " + id + " did not answer ("
                    + (cause instanceof TimeoutException ? "no answer within " + peers.timeout().toMillis() + " ms"
                    : String.valueOf(cause)) + ").");
        }
    }
}

package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.membership.NodeView;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.node.StreamViewers;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.NotFoundException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Result;
import io.tributary.server.http.Router;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Ant Media Server's cluster REST API: {@code /rest/v2/cluster/node-count}, {@code /nodes/{offset}/{size}}
 * and {@code DELETE /node/{id}}, plus the load of the last minutes ({@code /load-history}) for the
 * dashboard's charts. Any node answers for the whole cluster.
 */
public final class ClusterRestRoutes {
    private static final int MAX_PAGE = 50;

    private final Membership membership;
    private final ClusterStore store;
    private final ExecutorService storeExecutor;
    private final LongSupplier wallClock;
    private final BooleanSupplier draining;
    private final LoadHistory loadHistory;

    /** @param draining this node's drain state now (its own record only has it from its last heartbeat) */
    ClusterRestRoutes(Membership membership, ClusterStore store, ExecutorService storeExecutor, LongSupplier wallClock,
                      BooleanSupplier draining, LoadHistory loadHistory) {
        this.membership = membership;
        this.store = store;
        this.storeExecutor = storeExecutor;
        this.wallClock = wallClock;
        this.draining = draining;
        this.loadHistory = loadHistory;
    }

    /**
     * A node in the REST API. {@code cpu} and {@code memory} are percentages; {@code streams} and
     * {@code viewers} are its publishers and players, {@code streamViewers} its players per stream and
     * protocol.
     */
    public record ClusterNode(@JsonProperty("id") String id, @JsonProperty("ip") String ip,
                              @JsonProperty("internalAddress") String internalAddress,
                              @JsonProperty("status") String status, @JsonProperty("roles") List<String> roles,
                              @JsonProperty("cpu") double cpu, @JsonProperty("memory") double memory,
                              @JsonProperty("egressBitsPerSecond") long egressBitsPerSecond,
                              @JsonProperty("lastUpdateTime") long lastUpdateTime,
                              @JsonProperty("streams") int streams, @JsonProperty("viewers") int viewers,
                              @JsonProperty("rtmpPort") int rtmpPort, @JsonProperty("httpPort") int httpPort,
                              @JsonProperty("version") String version,
                              @JsonProperty("draining") boolean draining,
                              @JsonProperty("ingressBitsPerSecond") long ingressBitsPerSecond,
                              @JsonProperty("streamViewers") List<StreamViewers> streamViewers) {
    }

    /** {@code {"number": n}}. */
    public record Count(@JsonProperty("number") long number) {
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/rest/v2/cluster/node-count", r -> Response.ok(new Count(membership.nodes().size())))
                .add(HttpMethod.GET, "/rest/v2/cluster/nodes/{offset}/{size}", this::nodes)
                .add(HttpMethod.DELETE, "/rest/v2/cluster/node/{id}", this::delete)
                .add(HttpMethod.GET, "/rest/v2/cluster/load-history", r -> Response.ok(loadHistory.snapshot()));
    }

    private Response nodes(Request r) {
        int offset = number(r, "offset");
        int size = Math.min(MAX_PAGE, number(r, "size"));
        long now = wallClock.getAsLong();
        List<ClusterNode> all = membership.nodes().stream().map(v -> node(v, now, v.self()
                ? draining.getAsBoolean() : v.record().load().draining())).toList();
        int from = Math.min(offset, all.size());
        return Response.ok(all.subList(from, (int) Math.min(all.size(), (long) offset + size)));
    }

    private static ClusterNode node(NodeView v, long now, boolean draining) {
        NodeRecord n = v.record();
        return new ClusterNode(n.id(), n.advertise(), n.internal(), v.state().jsonValue(), n.roles(),
                Math.round(n.load().cpu() * 1000) / 10.0, Math.round(n.load().memoryShare() * 1000) / 10.0,
                n.load().egressBitsPerSecond(), now - v.heartbeatAgeMillis(), n.load().publishers(),
                n.load().players(), n.rtmpPort(), n.httpPort(), n.version(), draining,
                n.load().ingressBitsPerSecond(), n.load().streams());
    }

    /** Removes a dead node's record; a node that is alive (or this one) would only register again. */
    private Response delete(Request r) throws Exception {
        String id = r.param("id");
        NodeView view = membership.nodes().stream().filter(v -> v.record().id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("No node " + id + " in the cluster."));
        if (view.self()) {
            return Response.error(HttpResponseStatus.CONFLICT, "Node " + id + " is the node answering; stop it "
                    + "instead (a clean stop removes it).");
        }
        if (view.state() != NodeState.DEAD) {
            return Response.error(HttpResponseStatus.CONFLICT, "Node " + id + " is " + view.state().jsonValue()
                    + "; only a dead node can be removed.");
        }
        onStore(() -> store.removeNode(id));
        return Response.ok(Result.success(id));
    }

    private <T> T onStore(Callable<T> call) throws Exception {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return call.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, storeExecutor).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private static int number(Request r, String name) {
        try {
            int v = Integer.parseInt(r.param(name));
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be a whole number of 0 or more, not '" + r.param(name) + "'");
        }
    }
}

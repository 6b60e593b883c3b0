package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.handler.codec.http.HttpMethod;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.membership.NodeView;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.relay.RelayManager;
import io.tributary.cluster.relay.RelayView;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /rest/v2/cluster/relays}: every relay session of the cluster, as seed 002's Relay tab shows
 * them. Relays live in each node's memory, so the node answering asks every other live node's
 * {@code /cluster/api/relay/sessions} (in parallel, with a cluster token) and adds its own; a node that
 * does not answer in time is listed under {@code unreachable} rather than failing the whole answer.
 */
public final class ClusterRelaysRoute {
    private static final ObjectReader VIEWS = Json.mapper().readerFor(RelayView.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One relay session and the node it runs on. */
    public record ClusterRelay(@JsonProperty("nodeId") String nodeId, @JsonProperty("streamPath") String streamPath,
                               @JsonProperty("direction") String direction,
                               @JsonProperty("originNode") String originNode, @JsonProperty("source") String source,
                               @JsonProperty("state") String state,
                               @JsonProperty("subscriberCount") int subscriberCount,
                               @JsonProperty("frameCount") long frameCount, @JsonProperty("attempts") int attempts,
                               @JsonProperty("startedAt") long startedAt) {
        static ClusterRelay of(String nodeId, RelayView v) {
            return new ClusterRelay(nodeId, v.streamPath(), v.direction(), v.originNode(), v.source(), v.state(),
                    v.subscriberCount(), v.frameCount(), v.attempts(), v.startedAt());
        }
    }

    /** A live node whose sessions are missing from the answer, and why. */
    public record Unreachable(@JsonProperty("nodeId") String nodeId, @JsonProperty("reason") String reason) {
    }

    /** The answer. */
    public record Relays(@JsonProperty("sessions") List<ClusterRelay> sessions,
                         @JsonProperty("unreachable") List<Unreachable> unreachable) {
    }

    private final Membership membership;
    private final RelayManager relays;
    private final PeerClient peers;
    /** Guarded by {@code this}: a gathering is under way; the latest answer. */
    private boolean gathering;
    private Relays last;

    ClusterRelaysRoute(Membership membership, RelayManager relays, PeerClient peers) {
        this.membership = membership;
        this.relays = relays;
        this.peers = peers;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/rest/v2/cluster/relays", r -> Response.ok(relays()));
    }

    /**
     * The cluster's relays. A gathering may wait for a slow node up to the peer timeout, on one of the few
     * API threads: while one is under way, other callers (more dashboards) get the previous answer instead
     * of waiting too, so at most one thread waits on peers.
     */
    Relays relays() throws InterruptedException {
        synchronized (this) {
            if (gathering && last != null) {
                return last;
            }
            gathering = true;
        }
        Relays fresh = null;
        try {
            fresh = gather();
            return fresh;
        } finally {
            synchronized (this) {
                gathering = false;
                if (fresh != null) {
                    last = fresh;
                }
            }
        }
    }

    private Relays gather() throws InterruptedException {
        List<ClusterRelay> sessions = new ArrayList<>();
        Map<String, CompletableFuture<PeerClient.Reply>> asked = new LinkedHashMap<>();
        for (NodeView v : membership.nodes()) {
            String id = v.record().id();
            if (v.self()) {
                relays.views().forEach(view -> sessions.add(ClusterRelay.of(id, view)));
            } else if (v.state() != NodeState.DEAD) {
                asked.put(id, peers.send(v.record(), "GET", "/cluster/api/relay/sessions"));
            }
        }
        List<Unreachable> unreachable = new ArrayList<>();
        long deadline = System.nanoTime() + peers.timeout().toNanos();
        for (Map.Entry<String, CompletableFuture<PeerClient.Reply>> e : asked.entrySet()) {
            try {
                PeerClient.Reply reply = e.getValue().get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                if (reply.status() != 200) {
                    unreachable.add(new Unreachable(e.getKey(), "answered " + reply.status() + ": " + reply.body()));
                    continue;
                }
                for (JsonNode view : Json.mapper().readTree(reply.body()).path("data")) {
                    sessions.add(ClusterRelay.of(e.getKey(), VIEWS.readValue(view)));
                }
            } catch (ExecutionException ex) {
                unreachable.add(new Unreachable(e.getKey(), String.valueOf(ex.getCause())));
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                unreachable.add(new Unreachable(e.getKey(), "no answer within " + peers.timeout().toMillis() + " ms"));
            } catch (java.io.IOException ex) {
                unreachable.add(new Unreachable(e.getKey(), "unreadable answer: " + ex.getMessage()));
            }
        }
        sessions.sort(Comparator.comparing(ClusterRelay::streamPath).thenComparing(ClusterRelay::nodeId));
        return new Relays(sessions, unreachable);
    }
}

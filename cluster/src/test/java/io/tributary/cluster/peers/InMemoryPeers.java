package io.tributary.cluster.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A network for peer sync between objects in one test: each node's calls reach the other nodes' peer syncs
 * directly, on a thread of the network's own (as an HTTP answer would arrive), or fail at once for a node
 * that is cut off, as a killed process's would. Every node is reached at {@code nodeId:5080}.
 */
final class InMemoryPeers implements AutoCloseable {
    static final int PORT = 5080;

    private final Map<String, PeerSync> byAddress = new ConcurrentHashMap<>();
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final ExecutorService wire = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "in-memory-peers");
        t.setDaemon(true);
        return t;
    });

    static PeerAddress address(String nodeId) {
        return new PeerAddress(nodeId, PORT);
    }

    void attach(String nodeId, PeerSync sync) {
        byAddress.put(address(nodeId).toString(), sync);
    }

    /** The node neither answers nor reaches anyone (killed, or its network is gone). */
    void cut(String nodeId) {
        cut.add(nodeId);
    }

    void heal(String nodeId) {
        cut.remove(nodeId);
    }

    /** What node {@code from} uses to call the others. */
    PeerTransport transportFor(String from) {
        return new PeerTransport() {
            @Override
            public CompletableFuture<HeartbeatReply> heartbeat(Target to, PeerSummary self) {
                return call(from, to, p -> p.onHeartbeat(self));
            }

            @Override
            public CompletableFuture<List<PeerSummary>> syncServers(Target to, List<PeerSummary> known) {
                return call(from, to, p -> p.onServers(known));
            }

            @Override
            public CompletableFuture<List<PeerSession>> sessions(Target to) {
                return call(from, to, PeerSync::copy);
            }

            @Override
            public CompletableFuture<Void> syncSessions(Target to, String sender, List<PeerSession> sessions) {
                return call(from, to, p -> {
                    p.onSessions(sessions);
                    return null;
                });
            }

            @Override
            public CompletableFuture<Void> participation(Target to, Participation delta) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }

    private <T> CompletableFuture<T> call(String from, PeerTransport.Target to,
                                          java.util.function.Function<PeerSync, T> answer) {
        PeerSync target = byAddress.get(to.address().toString());
        String toId = to.address().host();
        if (target == null || cut.contains(from) || cut.contains(toId)) {
            return CompletableFuture.failedFuture(new UncheckedIOException(new IOException(
                    "connection refused: " + to.address())));
        }
        Supplier<T> s = () -> answer.apply(target);
        return CompletableFuture.supplyAsync(s, wire);
    }

    @Override
    public void close() {
        wire.shutdownNow();
    }
}

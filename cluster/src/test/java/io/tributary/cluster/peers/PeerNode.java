package io.tributary.cluster.peers;

import io.tributary.cluster.membership.MembershipSettings;
import io.tributary.cluster.membership.TestMember;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.store.peers.PeersStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One peers-mode node for a test: its own store in its own directory, its membership (heartbeat period 100 ms,
 * suspect after 2, dead after 4) and its peer sync on an {@link InMemoryPeers} network, reached at
 * {@code id:5080}.
 */
final class PeerNode implements AutoCloseable {
    final String id;
    final PeersStore store;
    final TestMember member;
    final Participations participations;
    final PeerSync sync;
    private final ScheduledExecutorService timer;

    private PeerNode(String id, PeersStore store, TestMember member, Participations participations, PeerSync sync,
                     ScheduledExecutorService timer) {
        this.id = id;
        this.participations = participations;
        this.store = store;
        this.member = member;
        this.sync = sync;
        this.timer = timer;
    }

    static PeerNode start(InMemoryPeers network, Path dir, String id, String... seeds) {
        MembershipSettings settings = TestMember.fast();
        PeersStore store = PeersStore.open(dir);
        NodeRecord template = new NodeRecord(id, id + "-1", id, id, 1935, InMemoryPeers.PORT,
                List.of("origin", "edge"), "test", 0, -1, null, 0, 0);
        TestMember member = TestMember.create(store, template, settings, System::nanoTime).started();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "peer-sync-" + id);
            t.setDaemon(true);
            return t;
        });
        List<PeerAddress> seedAddresses = java.util.Arrays.stream(seeds).map(InMemoryPeers::address).toList();
        Participations participations = new Participations();
        PeerSync sync = new PeerSync(store, member.membership(), network.transportFor(id), participations,
                new PeerSync.Settings(seedAddresses, settings.heartbeatPeriod(), Duration.ofSeconds(1)), timer,
                Set::of);
        network.attach(id, sync);
        sync.start();
        return new PeerNode(id, store, member, participations, sync, timer);
    }

    @Override
    public void close() {
        sync.close();
        member.close();
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}

package io.tributary.cluster.store.peers;

import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.ClusterStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster store contract on the peers engine, on one node: its own copy keeps every promise there
 * (atomic creates, compare-and-set, takes and exactly-once markDead among that node's callers, the event
 * feed), so the "peer" is the store itself, as for the embedded engine.
 *
 * <p>Across nodes the peers engine promises less, by design, and {@link PeersStoreReplicationTest} tests
 * what it does promise. Without a shared store there is no atomic operation spanning nodes: two nodes may
 * both create or claim one stream, take one record or declare one node dead; the copies are reconciled
 * afterwards ({@link ReplicaOrder}: the same winner on every node, and the loser's publisher is disconnected).
 * Node records are each node's own view (counters of its own contacts with each peer). Application settings
 * and small records (users, one-time tokens) stay on the node that wrote them.
 */
class PeersStoreContractTest extends ClusterStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ClusterStore openStore() {
        return PeersStore.open(dir);
    }

    @Override
    protected ClusterStore openPeer(ClusterStore first) {
        return first;
    }
}

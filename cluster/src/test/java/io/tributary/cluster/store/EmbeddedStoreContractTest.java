package io.tributary.cluster.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The cluster store contract on the embedded engine (one client: the "peer" is the store itself). */
class EmbeddedStoreContractTest extends ClusterStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ClusterStore openStore() {
        return EmbeddedStore.open(dir);
    }

    @Override
    protected ClusterStore openPeer(ClusterStore first) {
        return first;
    }
}

package io.tributary.cluster.store.mongo;

import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.ClusterStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The cluster store contract on the MongoDB engine: two stores on one mongo-java-server stand for two nodes. */
class MongoStoreContractTest extends ClusterStoreContract {

    private static final String DATABASE = "contract";

    private static MongoTestServer server;

    @BeforeAll
    static void startServer() {
        server = MongoTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected ClusterStore openStore() {
        server.database(DATABASE).drop();
        return MongoStore.connect(server.uri(DATABASE), Duration.ofSeconds(2));
    }

    @Override
    protected ClusterStore openPeer(ClusterStore first) {
        return MongoStore.connect(server.uri(DATABASE), Duration.ofSeconds(2));
    }
}

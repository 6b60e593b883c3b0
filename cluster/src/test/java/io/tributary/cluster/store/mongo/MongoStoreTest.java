package io.tributary.cluster.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.store.BroadcastQuery;
import io.tributary.cluster.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the MongoDB engine does beyond the shared contract: its layout, its indexes, its clock, its database. */
class MongoStoreTest {

    private static final String DATABASE = "layout";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static MongoTestServer server;
    private final List<MongoStore> stores = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = MongoTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void emptyDatabases() {
        for (String name : List.of(DATABASE, "fleet", MongoConnection.DEFAULT_DATABASE)) {
            server.database(name).drop();
        }
    }

    @AfterEach
    void closeStores() {
        stores.forEach(MongoStore::close);
    }

    @Test
    void connectingCreatesTheIndexesAndConnectingAgainKeepsThem() {
        connect(server.uri(DATABASE));
        connect(server.uri(DATABASE));

        MongoDatabase db = server.database(DATABASE);
        assertThat(indexKeys(db, MongoSchema.BROADCASTS)).contains(
                new Document("app", 1).append("date", 1),
                new Document("originNode", 1).append("status", 1));
        assertThat(indexKeys(db, MongoSchema.EVENTS)).contains(new Document("at", 1));
        assertThat(db.getCollection(MongoSchema.META).find().first()).containsEntry("version", MongoSchema.VERSION);
    }

    @Test
    void aBroadcastIsStoredWithItsQueryFieldsAndItsRecordAsASubdocument() {
        MongoStore store = connect(server.uri(DATABASE));
        Broadcast b = new Broadcast("cam1");
        b.setName("Camera One");
        b.setDate(1234);
        b.setStatus(BroadcastStatus.BROADCASTING);
        b.setOriginNode("node-a");
        b.setFps(29.97);
        store.create("live", b);
        store.update("live", "cam1", x -> x);

        Document doc = server.database(DATABASE).getCollection(MongoSchema.BROADCASTS).find().first();
        assertThat(doc).containsEntry("_id", "live/cam1").containsEntry("app", "live")
                .containsEntry("streamId", "cam1").containsEntry("version", 2L)
                .containsEntry("status", "broadcasting").containsEntry("originNode", "node-a")
                .containsEntry("date", 1234L).containsEntry("name", "Camera One")
                .containsEntry("nameKey", "camera one");
        Document record = doc.get("record", Document.class);
        assertThat(record).containsEntry("streamId", "cam1").containsEntry("fps", 29.97).doesNotContainKey("version");
        assertThat(store.get("live", "cam1").orElseThrow().getFps()).isEqualTo(29.97);
    }

    @Test
    void aSaveCreatesThenReplacesAndCountsVersions() {
        MongoStore store = connect(server.uri(DATABASE));
        Broadcast b = new Broadcast("s");
        b.setName("first");

        assertThat(store.save("live", b).getVersion()).isEqualTo(1);
        b.setName("second");
        assertThat(store.save("live", b).getVersion()).isEqualTo(2);
        Broadcast stored = store.get("live", "s").orElseThrow();
        assertThat(stored.getName()).isEqualTo("second");
        assertThat(stored.getVersion()).isEqualTo(2);
        assertThat(store.list("live", 0, 10, new BroadcastQuery("name", false, "SEC")))
                .extracting(Broadcast::getStreamId).containsExactly("s");
    }

    @Test
    void aHeartbeatIsStampedWithTheServersTimeNotTheNodesClock() {
        MongoStore store = connect(server.uri(DATABASE));
        long before = System.currentTimeMillis();
        store.putNode(new NodeRecord("node-a", "i1", "10.0.0.1", "10.0.0.1", 1935, 5080, List.of("origin"), "t", 0,
                -1, NodeLoad.IDLE, 1, 1));
        assertThat(store.node("node-a").orElseThrow().updatedAt()).as("registration").isGreaterThanOrEqualTo(before);

        NodeRecord beat = store.heartbeat("node-a", "i1", new NodeLoad(0.25, 1, 2, 3, 4, 5, 6), 1).orElseThrow();
        long after = System.currentTimeMillis();

        assertThat(beat.updatedAt()).isBetween(before, after);
        assertThat(beat.registeredAt()).as("the node's own registration time").isEqualTo(1);
        assertThat(beat.load().cpu()).isEqualTo(0.25);
        Document stored = server.database(DATABASE).getCollection(MongoSchema.NODES).find().first();
        assertThat(stored.get("updatedAt")).isInstanceOf(Date.class);
        assertThat(stored.get("heartbeat")).isEqualTo(1L);
    }

    @Test
    void theDatabaseNamedInTheConnectionStringIsTheOneUsed() {
        MongoStore fleet = connect(server.uri("fleet"));
        fleet.create("live", new Broadcast("here"));
        MongoStore unnamed = connect("mongodb://127.0.0.1:" + server.port());

        assertThat(fleet.databaseName()).isEqualTo("fleet");
        assertThat(unnamed.databaseName()).isEqualTo("tributary");
        assertThat(server.database("fleet").getCollection(MongoSchema.BROADCASTS).countDocuments()).isEqualTo(1);
        assertThat(unnamed.get("live", "here")).isEmpty();
    }

    @Test
    void settingsAreStoredAsASubdocumentBesideTheirVersion() {
        MongoStore store = connect(server.uri(DATABASE));
        store.putAppSettings("live", new AppSettings(true, 0, 77));

        Document doc = server.database(DATABASE).getCollection(MongoSchema.SETTINGS).find().first();
        assertThat(doc).containsEntry("_id", "live").containsEntry("version", 1L);
        assertThat(doc.get("settings", Document.class)).containsEntry("acceptUndefinedStreams", true)
                .doesNotContainKey("version");
        assertThat(store.appSettings("live")).isEqualTo(new AppSettings(true, 1, 77));
    }

    @Test
    void aDatabaseWrittenWithAnotherSchemaVersionIsRefused() {
        server.database(DATABASE).getCollection(MongoSchema.META)
                .insertOne(new Document("_id", "schema").append("version", 99));

        assertThatThrownBy(() -> connect(server.uri(DATABASE))).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema 99").hasMessageContaining("127.0.0.1:" + server.port());
    }

    @Test
    void invalidNamesAreRefusedBeforeAnythingIsWritten() {
        MongoStore store = connect(server.uri(DATABASE));

        assertThatThrownBy(() -> store.create("li/ve", new Broadcast("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("live", "a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("live", -1, 5, BroadcastQuery.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.list("live", 0, 0, BroadcastQuery.DEFAULT)).isEmpty();
        assertThat(server.database(DATABASE).getCollection(MongoSchema.BROADCASTS).countDocuments()).isZero();
    }

    @Test
    void aClosedStoreRefusesEveryCall() {
        MongoStore store = connect(server.uri(DATABASE));
        store.close();
        store.close();

        assertThatThrownBy(() -> store.get("live", "x")).isInstanceOf(IllegalStateException.class)
                .hasMessage("store is closed");
        assertThatThrownBy(store::ping).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.subscribe(e -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aConnectionStringThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> MongoStore.connect("redis://127.0.0.1:6379", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MongoDB connection string");
    }

    private MongoStore connect(String uri) {
        MongoStore store = MongoStore.connect(uri, TIMEOUT);
        stores.add(store);
        return store;
    }

    private static List<Document> indexKeys(MongoDatabase db, String collection) {
        List<Document> keys = new ArrayList<>();
        for (Document index : db.getCollection(collection).listIndexes()) {
            keys.add(index.get("key", Document.class));
        }
        return keys;
    }
}

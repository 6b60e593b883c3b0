package io.tributary.cluster.store.mongo;

import static io.tributary.cluster.store.mongo.NodeDocuments.DEAD_AT_HEARTBEAT;
import static io.tributary.cluster.store.mongo.NodeDocuments.HEARTBEAT;
import static io.tributary.cluster.store.mongo.NodeDocuments.ID;
import static io.tributary.cluster.store.mongo.NodeDocuments.INSTANCE;
import static io.tributary.cluster.store.mongo.NodeDocuments.LOAD;
import static io.tributary.cluster.store.mongo.NodeDocuments.UPDATED_AT;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.store.StoreEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Node records in the {@code nodes} collection (layout: {@link NodeDocuments}). A heartbeat is one update
 * filtered on {@code {_id, instance}} that increments the counter ({@code $inc}) and stamps the server's time
 * ({@code $currentDate}); declaring a node dead is one update filtered on the counter the survivor saw and on
 * not being marked at it yet, so exactly one survivor's update matches.
 */
final class MongoNodes {

    private static final Bson NOW = new Document(UPDATED_AT, true);

    private final MongoCollection<Document> collection;
    private final Consumer<StoreEvent> announce;

    MongoNodes(MongoCollection<Document> collection, Consumer<StoreEvent> announce) {
        this.collection = collection;
        this.announce = announce;
    }

    /** Inserts or replaces; {@code updatedAt} becomes the server's time, whatever the record says. */
    void put(NodeRecord node) {
        Objects.requireNonNull(node.id(), "node id");
        Bson change = new Document("$set", NodeDocuments.fields(node)).append("$currentDate", NOW);
        try {
            collection.updateOne(Filters.eq(ID, node.id()), change, new UpdateOptions().upsert(true));
        } catch (MongoException e) {
            if (!MongoConnection.isDuplicateKey(e)) {
                throw e;
            }
            // Two first registrations of one id raced to insert; the record now exists, so this one updates.
            collection.updateOne(Filters.eq(ID, node.id()), change, new UpdateOptions().upsert(true));
        }
        announce.accept(new StoreEvent(StoreEvent.Type.NODE_CHANGED, null, node.id(), node.heartbeat()));
    }

    Optional<NodeRecord> node(String nodeId) {
        return Optional.ofNullable(collection.find(Filters.eq(ID, nodeId)).first()).map(NodeDocuments::decode);
    }

    List<NodeRecord> nodes() {
        List<NodeRecord> all = new ArrayList<>();
        for (Document d : collection.find().sort(Sorts.ascending(ID))) {
            all.add(NodeDocuments.decode(d));
        }
        return all;
    }

    /**
     * The returned record is MongoDB's post-image. Only the node itself heartbeats its record, one beat at a
     * time, so no concurrent change to the same record can show in it.
     */
    Optional<NodeRecord> heartbeat(String nodeId, String instance, NodeLoad load) {
        Bson change = new Document("$inc", new Document(HEARTBEAT, 1L))
                .append("$set", new Document(LOAD, NodeDocuments.load(load == null ? NodeLoad.IDLE : load)))
                .append("$currentDate", NOW);
        Bson mine = Filters.and(Filters.eq(ID, nodeId), Filters.eq(INSTANCE, instance));
        Document after = collection.findOneAndUpdate(mine, change,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (after == null) {
            return Optional.empty();
        }
        NodeRecord updated = NodeDocuments.decode(after);
        announce.accept(new StoreEvent(StoreEvent.Type.NODE_HEARTBEAT, null, nodeId, updated.heartbeat()));
        return Optional.of(updated);
    }

    boolean markDead(String nodeId, long atHeartbeat) {
        Bson filter = Filters.and(Filters.eq(ID, nodeId), Filters.eq(HEARTBEAT, atHeartbeat),
                Filters.ne(DEAD_AT_HEARTBEAT, atHeartbeat));
        if (collection.updateOne(filter, new Document("$set", new Document(DEAD_AT_HEARTBEAT, atHeartbeat)))
                .getMatchedCount() == 0) {
            return false;
        }
        announce.accept(new StoreEvent(StoreEvent.Type.NODE_CHANGED, null, nodeId, atHeartbeat));
        return true;
    }

    boolean remove(String nodeId) {
        if (collection.deleteOne(Filters.eq(ID, nodeId)).getDeletedCount() == 0) {
            return false;
        }
        announce.accept(new StoreEvent(StoreEvent.Type.NODE_CHANGED, null, nodeId, -1));
        return true;
    }
}

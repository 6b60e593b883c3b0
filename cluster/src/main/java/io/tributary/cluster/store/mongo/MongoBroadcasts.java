package io.tributary.cluster.store.mongo;

import static io.tributary.cluster.store.mongo.BroadcastDocuments.APP;
import static io.tributary.cluster.store.mongo.BroadcastDocuments.ID;
import static io.tributary.cluster.store.mongo.BroadcastDocuments.ORIGIN_NODE;
import static io.tributary.cluster.store.mongo.BroadcastDocuments.STATUS;
import static io.tributary.cluster.store.mongo.BroadcastDocuments.VERSION;

import com.mongodb.MongoException;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.store.AppBroadcast;
import io.tributary.cluster.store.BroadcastPages;
import io.tributary.cluster.store.BroadcastQuery;
import io.tributary.cluster.store.StoreEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The broadcast records in the {@code broadcasts} collection (layout: {@link BroadcastDocuments}). Every
 * atomic promise of the store is one single-document operation: create is an insert that a duplicate key
 * refuses; compare-and-set and delete-if-version filter on {@code {_id, version}}; save is one upsert that
 * increments the version; update is a compare-and-set loop. Each write that happened is announced.
 */
final class MongoBroadcasts {

    private final MongoCollection<Document> collection;
    private final Consumer<StoreEvent> announce;

    MongoBroadcasts(MongoCollection<Document> collection, Consumer<StoreEvent> announce) {
        this.collection = collection;
        this.announce = announce;
    }

    Optional<Broadcast> get(String app, String streamId) {
        return Optional.ofNullable(collection.find(Filters.eq(ID, BroadcastDocuments.id(app, streamId))).first())
                .map(BroadcastDocuments::decode);
    }

    boolean create(String app, Broadcast broadcast) {
        Document doc = BroadcastDocuments.document(app, broadcast, 1);
        try {
            collection.insertOne(doc);
        } catch (MongoException e) {
            if (MongoConnection.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
        changed(app, broadcast.getStreamId(), 1);
        return true;
    }

    Broadcast save(String app, Broadcast broadcast) {
        String id = BroadcastDocuments.id(app, broadcast.getStreamId());
        Bson change = new Document("$set", BroadcastDocuments.fields(app, broadcast))
                .append("$inc", new Document(VERSION, 1L));
        // The pre-image gives the new version exactly, even when saves race (and mongo-java-server's
        // post-image of a raced document may already show a later write).
        Document before = upsert(id, change);
        long version = before == null ? 1 : BroadcastDocuments.version(before) + 1;
        changed(app, broadcast.getStreamId(), version);
        Broadcast saved = broadcast.copy();
        saved.setVersion(version);
        return saved;
    }

    Optional<Broadcast> update(String app, String streamId, UnaryOperator<Broadcast> change) {
        Objects.requireNonNull(change, "change");
        String id = BroadcastDocuments.id(app, streamId);
        while (true) {
            Document current = collection.find(Filters.eq(ID, id)).first();
            if (current == null) {
                return Optional.empty();
            }
            Broadcast next = checked(change.apply(BroadcastDocuments.decode(current)), streamId);
            long version = BroadcastDocuments.version(current);
            if (replace(app, next, version)) {
                next.setVersion(version + 1);
                return Optional.of(next);
            }
        }
    }

    boolean delete(String app, String streamId) {
        Document gone = collection.findOneAndDelete(Filters.eq(ID, BroadcastDocuments.id(app, streamId)),
                new FindOneAndDeleteOptions().projection(Projections.include(VERSION)));
        if (gone == null) {
            return false;
        }
        announce.accept(new StoreEvent(StoreEvent.Type.BROADCAST_DELETED, app, streamId,
                BroadcastDocuments.version(gone)));
        return true;
    }

    Optional<Broadcast> compareAndSet(String app, Broadcast replacement, long expectedVersion) {
        if (!replace(app, replacement, expectedVersion)) {
            return Optional.empty();
        }
        Broadcast saved = replacement.copy();
        saved.setVersion(expectedVersion + 1);
        return Optional.of(saved);
    }

    boolean deleteIfVersion(String app, String streamId, long expectedVersion) {
        String id = BroadcastDocuments.id(app, streamId);
        if (collection.deleteOne(Filters.and(Filters.eq(ID, id), Filters.eq(VERSION, expectedVersion)))
                .getDeletedCount() == 0) {
            return false;
        }
        announce.accept(new StoreEvent(StoreEvent.Type.BROADCAST_DELETED, app, streamId, expectedVersion));
        return true;
    }

    List<AppBroadcast> broadcastingOn(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        List<AppBroadcast> found = new ArrayList<>();
        Bson filter = Filters.and(Filters.eq(ORIGIN_NODE, nodeId),
                Filters.eq(STATUS, BroadcastStatus.BROADCASTING.jsonValue()));
        for (Document d : collection.find(filter).sort(Sorts.ascending(ID))) {
            found.add(new AppBroadcast(BroadcastDocuments.app(d), BroadcastDocuments.decode(d)));
        }
        return found;
    }

    /**
     * Filtering by search happens here rather than in MongoDB, with the query's own matcher, so every engine
     * matches alike (a regex in MongoDB folds case differently from Java); the sort and, without a search, the
     * paging happen in MongoDB.
     */
    List<Broadcast> list(String app, int offset, int size, BroadcastQuery query) {
        Objects.requireNonNull(query, "query");
        int limit = BroadcastPages.limit(offset, size);
        StreamIds.requireValid(app, "app name");
        List<Broadcast> page = new ArrayList<>(limit);
        if (limit == 0) {
            return page; // MongoDB reads a limit of 0 as "no limit"
        }
        FindIterable<Document> sorted = collection.find(Filters.eq(APP, app)).sort(BroadcastDocuments.sort(query));
        if (query.search() == null) {
            sorted.skip(offset).limit(limit).forEach(d -> page.add(BroadcastDocuments.decode(d)));
            return page;
        }
        int skipped = 0;
        for (Document d : sorted) {
            Broadcast b = BroadcastDocuments.decode(d);
            if (!query.matches(b)) {
                continue;
            }
            if (skipped < offset) {
                skipped++;
            } else {
                page.add(b);
                if (page.size() == limit) {
                    break;
                }
            }
        }
        return page;
    }

    long count(String app) {
        return collection.countDocuments(Filters.eq(APP, StreamIds.requireValid(app, "app name")));
    }

    long countByStatus(String app, BroadcastStatus status) {
        Objects.requireNonNull(status, "status");
        return collection.countDocuments(Filters.and(Filters.eq(APP, StreamIds.requireValid(app, "app name")),
                Filters.eq(STATUS, status.jsonValue())));
    }

    Map<String, List<Broadcast>> all() {
        Map<String, List<Broadcast>> byApp = new LinkedHashMap<>();
        for (Document d : collection.find().sort(Sorts.ascending(ID))) {
            byApp.computeIfAbsent(BroadcastDocuments.app(d), a -> new ArrayList<>()).add(BroadcastDocuments.decode(d));
        }
        return byApp;
    }

    /** Writes {@code next} as version {@code version + 1} if the stored version is still {@code version}. */
    private boolean replace(String app, Broadcast next, long version) {
        String id = BroadcastDocuments.id(app, next.getStreamId());
        Document set = BroadcastDocuments.fields(app, next).append(VERSION, version + 1);
        boolean replaced = collection.updateOne(Filters.and(Filters.eq(ID, id), Filters.eq(VERSION, version)),
                new Document("$set", set)).getMatchedCount() == 1;
        if (replaced) {
            changed(app, next.getStreamId(), version + 1);
        }
        return replaced;
    }

    /**
     * Two first saves of one id may both try to insert; MongoDB (4.2+) retries such an upsert itself, and this
     * retries where it does not.
     */
    private Document upsert(String id, Bson change) {
        FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().upsert(true)
                .returnDocument(ReturnDocument.BEFORE).projection(Projections.include(VERSION));
        while (true) {
            try {
                return collection.findOneAndUpdate(Filters.eq(ID, id), change, options);
            } catch (MongoException e) {
                if (!MongoConnection.isDuplicateKey(e)) {
                    throw e;
                }
            }
        }
    }

    private void changed(String app, String streamId, long version) {
        announce.accept(new StoreEvent(StoreEvent.Type.BROADCAST_CHANGED, app, streamId, version));
    }

    private static Broadcast checked(Broadcast next, String streamId) {
        if (next == null) {
            throw new IllegalArgumentException("update of " + streamId + " returned no broadcast");
        }
        if (!streamId.equals(next.getStreamId())) {
            throw new IllegalArgumentException(
                    "update of " + streamId + " must not change the stream id (to " + next.getStreamId() + ")");
        }
        return next.copy();
    }
}

package io.tributary.cluster.store.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.tributary.cluster.store.RecordKind;
import io.tributary.cluster.store.Records;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Records (users, one-time tokens) in the {@code records} collection, one document each:
 * {@code {_id: "user/admin", kind: "user", key: "admin", json: "{...}", expiresAt: 0 (int64, epoch ms, 0 = never)}}.
 * Expiry is this field, checked on every read (mongo-java-server never runs TTL indexes); an expired record
 * is deleted when an insert needs its place or its kind is listed. A take is one {@code findOneAndDelete},
 * so of racing takes exactly one gets the document.
 */
final class MongoRecords {

    private final MongoCollection<Document> collection;
    private final LongSupplier clock;

    MongoRecords(MongoCollection<Document> collection, LongSupplier clock) {
        this.collection = collection;
        this.clock = clock;
    }

    boolean insert(RecordKind kind, String key, String json, long expiresAt) {
        Document doc = document(kind, key, json, expiresAt);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                collection.insertOne(doc);
                return true;
            } catch (MongoException e) {
                if (!MongoConnection.isDuplicateKey(e)) {
                    throw e;
                }
                // Taken, unless what holds the place has expired: then it goes and the insert tries once more.
                if (collection.deleteOne(Filters.and(Filters.eq("_id", id(kind, key)), expired())).getDeletedCount() == 0) {
                    return false;
                }
            }
        }
        return false;
    }

    void put(RecordKind kind, String key, String json, long expiresAt) {
        Document doc = document(kind, key, json, expiresAt);
        collection.replaceOne(Filters.eq("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true));
    }

    Optional<String> get(RecordKind kind, String key) {
        return live(collection.find(Filters.eq("_id", id(kind, key))).first());
    }

    SortedMap<String, String> all(RecordKind kind) {
        collection.deleteMany(Filters.and(Filters.eq("kind", kind.id()), expired()));
        SortedMap<String, String> found = new TreeMap<>();
        for (Document doc : collection.find(Filters.eq("kind", kind.id())).sort(Sorts.ascending("key"))) {
            live(doc).ifPresent(json -> found.put(doc.getString("key"), json));
        }
        return found;
    }

    Optional<String> take(RecordKind kind, String key) {
        return live(collection.findOneAndDelete(Filters.eq("_id", id(kind, key))));
    }

    private Optional<String> live(Document doc) {
        if (doc == null) {
            return Optional.empty();
        }
        long expiresAt = doc.get("expiresAt") instanceof Number n ? n.longValue() : Records.NEVER;
        return Records.live(expiresAt, clock.getAsLong()) ? Optional.ofNullable(doc.getString("json")) : Optional.empty();
    }

    /** Records with an expiry that has passed. */
    private Bson expired() {
        return Filters.and(Filters.gt("expiresAt", Records.NEVER), Filters.lte("expiresAt", clock.getAsLong()));
    }

    private static Document document(RecordKind kind, String key, String json, long expiresAt) {
        return new Document("_id", id(kind, key)).append("kind", kind.id()).append("key", key)
                .append("json", Records.requireJson(json)).append("expiresAt", Records.requireExpiry(expiresAt));
    }

    private static String id(RecordKind kind, String key) {
        return kind.id() + "/" + Records.requireValidKey(kind, key);
    }
}

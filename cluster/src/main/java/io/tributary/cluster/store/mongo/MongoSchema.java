package io.tributary.cluster.store.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import io.tributary.cluster.store.StoreException;
import org.bson.Document;

/**
 * The collections of a Tributary database and their indexes, set up (idempotently) by every store that
 * connects. The layout of each document is described where it is written: {@link BroadcastDocuments},
 * {@link NodeDocuments}, {@link MongoSettings}, {@link MongoRecords}, {@link MongoEventLog}.
 *
 * <pre>
 * broadcasts  _id "app/streamId"   indexes {app: 1, date: 1}, {originNode: 1, status: 1}
 * nodes       _id node id
 * settings    _id app
 * records     _id "kind/key"       index {kind: 1, key: 1}
 * events      _id sequence number  index {at: 1}
 * meta        {_id: "schema", version: 1}
 * </pre>
 */
final class MongoSchema {

    static final String BROADCASTS = "broadcasts";
    static final String NODES = "nodes";
    static final String SETTINGS = "settings";
    static final String EVENTS = "events";
    static final String RECORDS = "records";
    static final String META = "meta";

    /** Bumped when a document layout changes incompatibly; a store refuses a database of another version. */
    static final int VERSION = 1;

    private MongoSchema() {
    }

    static void ensure(MongoDatabase db, String where) {
        checkVersion(db, where);
        // Listing and counting one app, sorted by creation date (the default page order).
        db.getCollection(BROADCASTS).createIndex(Indexes.ascending("app", "date"));
        // Finding the streams a dead node was broadcasting.
        db.getCollection(BROADCASTS).createIndex(Indexes.ascending("originNode", "status"));
        // Listing the records of one kind.
        db.getCollection(RECORDS).createIndex(Indexes.ascending("kind", "key"));
        // Deleting old events by age.
        db.getCollection(EVENTS).createIndex(Indexes.ascending("at"));
    }

    private static void checkVersion(MongoDatabase db, String where) {
        Document found = db.getCollection(META).find(Filters.eq("_id", "schema")).first();
        if (found == null) {
            try {
                db.getCollection(META).insertOne(new Document("_id", "schema").append("version", VERSION));
                return;
            } catch (MongoException e) {
                if (!MongoConnection.isDuplicateKey(e)) {
                    throw e;
                }
                found = db.getCollection(META).find(Filters.eq("_id", "schema")).first();
            }
        }
        Object version = found == null ? null : found.get("version");
        if (!(version instanceof Number n) || n.intValue() != VERSION) {
            throw new StoreException("MongoDB database " + db.getName() + " at " + where + " holds Tributary schema "
                    + version + ", this node needs schema " + VERSION + "; use another database or upgrade the nodes");
        }
    }
}

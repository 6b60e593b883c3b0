package io.tributary.cluster.store.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.store.SettingsCodec;
import io.tributary.cluster.store.StoreEvent;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Application settings in the {@code settings} collection, one document per app:
 * {@code {_id: "live", version: 4 (int64), settings: {...their JSON, without the version...}}}. A put is one
 * upsert that replaces {@code settings} and increments {@code version}; its pre-image says which version it
 * made, exactly, however many puts race.
 */
final class MongoSettings {

    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private final MongoCollection<Document> collection;
    private final Consumer<StoreEvent> announce;

    MongoSettings(MongoCollection<Document> collection, Consumer<StoreEvent> announce) {
        this.collection = collection;
        this.announce = announce;
    }

    AppSettings get(String app) {
        Document doc = collection.find(Filters.eq("_id", StreamIds.requireValid(app, "app name"))).first();
        if (doc == null) {
            return AppSettings.NONE;
        }
        Document json = doc.get("settings") instanceof Document s ? new Document(s) : new Document();
        json.put("version", doc.get("version") instanceof Number n ? n.longValue() : 0);
        return SettingsCodec.decode(json.toJson(JSON), "settings/" + app);
    }

    AppSettings put(String app, AppSettings settings) {
        StreamIds.requireValid(app, "app name");
        Document value = Document.parse(SettingsCodec.encode(settings));
        value.remove("version");
        Bson change = new Document("$set", new Document("settings", value))
                .append("$inc", new Document("version", 1L));
        FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().upsert(true)
                .returnDocument(ReturnDocument.BEFORE).projection(Projections.include("version"));
        Document before;
        while (true) {
            try {
                before = collection.findOneAndUpdate(Filters.eq("_id", app), change, options);
                break;
            } catch (MongoException e) {
                if (!MongoConnection.isDuplicateKey(e)) {
                    throw e;
                }
                // A racing first put inserted the document; MongoDB before 4.2 does not retry the upsert itself.
            }
        }
        long version = before != null && before.get("version") instanceof Number n ? n.longValue() + 1 : 1;
        announce.accept(new StoreEvent(StoreEvent.Type.SETTINGS_CHANGED, app, null, version));
        return settings.withVersion(version);
    }
}

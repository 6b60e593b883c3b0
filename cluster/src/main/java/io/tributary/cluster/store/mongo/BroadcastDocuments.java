package io.tributary.cluster.store.mongo;

import com.mongodb.client.model.Sorts;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.store.BroadcastCodec;
import io.tributary.cluster.store.BroadcastQuery;
import io.tributary.cluster.store.StoreException;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * How a broadcast record is laid out in the {@code broadcasts} collection:
 *
 * <pre>
 * {_id: "live/cam1", app: "live", streamId: "cam1", version: 3 (int64),
 *  status: "broadcasting", originNode: "node-a", date: 1700000000000, name: "Camera 1", nameKey: "camera 1",
 *  record: {...the API's JSON of the broadcast, without its version...}}
 * </pre>
 *
 * The record, as a subdocument, is the truth and reads in the shell like an API response; the version lives
 * only at the top level, where writes filter and increment it. The other top-level fields are copies of
 * record fields, rewritten with every write, for the indexes, filters and sorts. {@code nameKey} is the name
 * with every code point case-folded as {@link String#CASE_INSENSITIVE_ORDER} folds it; MongoDB compares
 * strings by their UTF-8 bytes, which is code point order, so sorting on it is the case-insensitive name
 * order {@link BroadcastQuery} defines.
 */
final class BroadcastDocuments {

    static final String ID = "_id";
    static final String APP = "app";
    static final String STREAM_ID = "streamId";
    static final String VERSION = "version";
    static final String STATUS = "status";
    static final String ORIGIN_NODE = "originNode";
    static final String DATE = "date";
    static final String NAME = "name";
    static final String NAME_KEY = "nameKey";
    static final String RECORD = "record";

    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private BroadcastDocuments() {
    }

    /** The document id of a record; refuses an invalid app name or stream id. */
    static String id(String app, String streamId) {
        return StreamIds.requireValid(app, "app name") + "/" + StreamIds.requireValid(streamId, "stream id");
    }

    /** Everything a write sets except {@code _id} and {@code version}. */
    static Document fields(String app, Broadcast b) {
        Document record = Document.parse(BroadcastCodec.encode(b));
        record.remove(VERSION);
        // A record without a status reads back as created, the field's default, so that is what queries see.
        BroadcastStatus status = b.getStatus() == null ? BroadcastStatus.CREATED : b.getStatus();
        return new Document(APP, app)
                .append(STREAM_ID, b.getStreamId())
                .append(STATUS, status.jsonValue())
                .append(ORIGIN_NODE, b.getOriginNode())
                .append(DATE, b.getDate())
                .append(NAME, b.getName())
                .append(NAME_KEY, nameKey(b.getName()))
                .append(RECORD, record);
    }

    /** A whole new document at {@code version}. */
    static Document document(String app, Broadcast b, long version) {
        Document doc = new Document(ID, id(app, b.getStreamId())).append(VERSION, version);
        doc.putAll(fields(app, b));
        return doc;
    }

    static Broadcast decode(Document doc) {
        String where = "broadcasts/" + doc.get(ID);
        Object record = doc.get(RECORD);
        Object version = doc.get(VERSION);
        if (!(record instanceof Document) || !(version instanceof Number)) {
            throw new StoreException("stored broadcast " + where + " lacks its record or version");
        }
        Document json = new Document((Document) record);
        json.put(VERSION, ((Number) version).longValue());
        return BroadcastCodec.decode(json.toJson(JSON), where);
    }

    static String app(Document doc) {
        return doc.getString(APP);
    }

    static long version(Document doc) {
        Object version = doc.get(VERSION);
        if (!(version instanceof Number)) {
            throw new StoreException("stored broadcast broadcasts/" + doc.get(ID) + " has no version");
        }
        return ((Number) version).longValue();
    }

    /** The order of {@link BroadcastQuery#comparator()}, ties by stream id, as a MongoDB sort. */
    static Bson sort(BroadcastQuery query) {
        String field = switch (query.sortBy()) {
            case "name" -> NAME_KEY;
            case "status" -> STATUS;
            case "streamId" -> STREAM_ID;
            default -> DATE;
        };
        if (field.equals(STREAM_ID)) {
            return query.descending() ? Sorts.descending(STREAM_ID) : Sorts.ascending(STREAM_ID);
        }
        return query.descending() ? Sorts.descending(field, STREAM_ID) : Sorts.ascending(field, STREAM_ID);
    }

    /** Folds each code point as {@link String#CASE_INSENSITIVE_ORDER} compares it. */
    static String nameKey(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder folded = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return folded.toString();
    }
}

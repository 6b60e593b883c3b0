package io.tributary.cluster.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.Json;

/** Broadcast records as engines store them: the API's JSON, so a stored record reads like a response. */
public final class BroadcastCodec {

    private BroadcastCodec() {}

    public static String encode(Broadcast broadcast) {
        try {
            return Json.mapper().writeValueAsString(broadcast);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + broadcast, e);
        }
    }

    /** {@code where} names the record in the error, because a record that does not parse is a corrupt store. */
    public static Broadcast decode(String json, String where) {
        try {
            return Json.mapper().readValue(json, Broadcast.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored broadcast " + where + " is not readable: " + e.getOriginalMessage(), e);
        }
    }
}

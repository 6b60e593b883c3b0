package io.tributary.cluster.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.settings.AppSettings;

/** Application settings as the engines store them: their JSON. */
public final class SettingsCodec {

    private SettingsCodec() {
    }

    public static String encode(AppSettings settings) {
        try {
            return Json.mapper().writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot encode application settings: " + e.getOriginalMessage(), e);
        }
    }

    /** @param where names the stored value in the error message */
    public static AppSettings decode(String json, String where) {
        try {
            return Json.mapper().readValue(json, AppSettings.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("unreadable " + where + ": " + e.getOriginalMessage(), e);
        }
    }
}

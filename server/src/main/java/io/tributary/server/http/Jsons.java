package io.tributary.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.cluster.broadcast.Json;

/** JSON for HTTP bodies, with the same mapper (and the same strictness) as the store. */
public final class Jsons {

    private Jsons() {
    }

    public static byte[] bytes(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a request body.
     *
     * @throws BadRequestException with Jackson's description of what was wrong (unknown field, bad type)
     */
    public static <T> T read(String body, Class<T> type) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("invalid JSON body: " + e.getOriginalMessage());
        }
    }
}

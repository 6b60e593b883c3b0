package io.tributary.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: status, content type, body and extra headers. */
public record Response(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json";

    public static Response json(HttpResponseStatus status, Object value) {
        return new Response(status, JSON, Jsons.bytes(value), Map.of());
    }

    public static Response ok(Object value) {
        return json(HttpResponseStatus.OK, value);
    }

    public static Response text(HttpResponseStatus status, String text) {
        return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** An error in the API's own shape: {@code {"success": false, "message": ...}}. */
    public static Response error(HttpResponseStatus status, String message) {
        return json(status, Result.failure(message));
    }

    public Response withHeader(String name, String value) {
        var copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Response(status, contentType, body, Map.copyOf(copy));
    }
}

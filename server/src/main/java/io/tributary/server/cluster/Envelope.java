package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.server.http.Response;

/** The Monibuca cluster API's answer shape: {@code {"code": 0, "message": "success", "data": ...}}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Envelope(int code, String message, Object data) {

    public static Response ok(Object data) {
        return Response.json(HttpResponseStatus.OK, new Envelope(0, "success", data));
    }

    /** An error: the HTTP status and the envelope's code are the same number (400, 401, 404, 503). */
    public static Response error(HttpResponseStatus status, String message) {
        return Response.json(status, new Envelope(status.code(), message, null));
    }
}

package io.tributary.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Ant Media Server's mutation result: {@code {success, message, dataId}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Result(boolean success, String message, String dataId) {

    public static Result success(String dataId) {
        return new Result(true, null, dataId);
    }

    public static Result failure(String message) {
        return new Result(false, message, null);
    }
}

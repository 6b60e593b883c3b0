package io.tributary.cluster.broadcast;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a broadcast is in its life: created (no publisher yet), broadcasting, finished. */
public enum BroadcastStatus {
    CREATED,
    BROADCASTING,
    FINISHED;

    /** The lower-case name Ant Media Server's API uses, in JSON and in every store engine. */
    @JsonValue
    public String jsonValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive, because AMS clients are not consistent about it. */
    @JsonCreator
    public static BroadcastStatus fromJson(String value) {
        if (value != null) {
            for (BroadcastStatus status : values()) {
                if (status.name().equalsIgnoreCase(value)) {
                    return status;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown broadcast status '" + value + "' (expected created, broadcasting or finished)");
    }
}

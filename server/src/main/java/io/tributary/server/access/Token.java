package io.tributary.server.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Ant Media Server's Token object, as the token endpoints answer it.
 *
 * @param tokenId what a client puts in {@code ?token=}: a one-time token's id, or the JWT itself
 * @param streamId the stream it opens
 * @param expireDate epoch seconds after which it is refused
 * @param type {@code publish} or {@code play}
 * @param roomId the conference room it was asked for, if any (kept, not checked)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Token(@JsonProperty("tokenId") String tokenId,
                    @JsonProperty("streamId") String streamId,
                    @JsonProperty("expireDate") long expireDate,
                    @JsonProperty("type") String type,
                    @JsonProperty("roomId") String roomId) {
}

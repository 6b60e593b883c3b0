package io.tributary.server.access;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.RecordKind;
import io.tributary.cluster.store.Records;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.StreamException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One-time stream tokens (Ant Media Server's {@code publishTokenControlEnabled} / {@code playTokenControlEnabled}
 * tokens): records in the cluster store, each opening one publish or play of one stream until its expiry,
 * used up by the first request that shows it, on whichever node. Every method reads or writes the store:
 * call them off the network threads.
 */
final class OneTimeTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 18 random bytes: 24 URL-safe characters. */
    private static final int ID_BYTES = 18;

    /** A token as stored: the Token plus the application it is for (token ids are unique cluster-wide). */
    record Stored(@JsonProperty("app") String app, @JsonProperty("token") Token token) {
    }

    private final ClusterStore store;
    private final LongSupplier wallClock;

    OneTimeTokens(ClusterStore store, LongSupplier wallClock) {
        this.store = store;
        this.wallClock = wallClock;
    }

    /** A new token for a {@code type} of {@code path}, kept until {@code expireDate} (epoch seconds). */
    Token create(StreamPath path, String type, long expireDate, String roomId) {
        while (true) {
            Token token = new Token(newId(), path.streamId(), expireDate, type, roomId);
            if (store.insertRecord(RecordKind.STREAM_TOKEN, token.tokenId(), encode(new Stored(path.app(), token)),
                    expireDate * 1000)) {
                return token;
            }
            // 144 random bits do not collide; if they ever do, draw again rather than overwrite.
        }
    }

    /**
     * Uses up the token for a {@code type} of {@code path}. A token for another stream or type is refused and
     * left for its own stream.
     *
     * @throws StreamException FORBIDDEN when the token is unknown, used, expired or for something else
     */
    void use(String tokenId, StreamPath path, String type) {
        Optional<String> found = validKey(tokenId) ? store.record(RecordKind.STREAM_TOKEN, tokenId) : Optional.empty();
        if (found.isEmpty()) {
            throw refused("it is unknown, used up or expired");
        }
        Stored stored = decode(found.get());
        Token t = stored.token();
        if (!path.app().equals(stored.app()) || !path.streamId().equals(t.streamId())) {
            throw refused("it is for stream '" + stored.app() + "/" + t.streamId() + "', not '" + path + "'");
        }
        if (!type.equals(t.type())) {
            throw refused("it is a '" + t.type() + "' token, not a '" + type + "' token");
        }
        if (t.expireDate() * 1000 <= wallClock.getAsLong()) {
            throw refused("it expired");
        }
        if (store.takeRecord(RecordKind.STREAM_TOKEN, tokenId).isEmpty()) {
            throw refused("it was used up a moment ago");
        }
    }

    private static boolean validKey(String tokenId) {
        try {
            Records.requireValidKey(RecordKind.STREAM_TOKEN, tokenId);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String newId() {
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static StreamException refused(String why) {
        return new StreamException(StreamException.Reason.FORBIDDEN, "Invalid one-time token: " + why + ".");
    }

    private static String encode(Stored stored) {
        try {
            return Json.mapper().writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a token", e);
        }
    }

    private static Stored decode(String json) {
        try {
            return Json.mapper().readValue(json, Stored.class);
        } catch (JsonProcessingException e) {
            throw new StreamException(StreamException.Reason.FORBIDDEN, "Invalid one-time token: its record is "
                    + "unreadable (" + e.getOriginalMessage() + ").");
        }
    }
}

package io.tributary.cluster.store;

import java.util.Objects;

/** Rules every engine applies to records: which keys are valid and when a record has expired. */
public final class Records {
    /** Longest record key, in characters. */
    public static final int MAX_KEY_LENGTH = 200;
    /** An expiry of 0 means the record never expires. */
    public static final long NEVER = 0;

    private Records() {
    }

    /** The key, if it is 1 to {@value #MAX_KEY_LENGTH} printable characters without spaces. */
    public static String requireValidKey(RecordKind kind, String key) {
        Objects.requireNonNull(kind, "kind");
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(kind.id() + " key must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException(kind.id() + " key must not contain spaces or control characters");
            }
        }
        return key;
    }

    public static String requireJson(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("a record needs a JSON value");
        }
        return json;
    }

    public static long requireExpiry(long expiresAt) {
        if (expiresAt < 0) {
            throw new IllegalArgumentException("expiry must be 0 (never) or a time in epoch milliseconds");
        }
        return expiresAt;
    }

    /** Whether a record with this expiry is still there at {@code now} (epoch ms). */
    public static boolean live(long expiresAt, long now) {
        return expiresAt == NEVER || expiresAt > now;
    }
}

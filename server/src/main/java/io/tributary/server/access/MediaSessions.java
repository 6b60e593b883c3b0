package io.tributary.server.access;

import io.tributary.media.StreamPath;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sessions that let one HLS or DASH viewing go on after its token was checked: a player fetches its
 * playlist again and again and every segment, while a one-time token opens one request only. A session is
 * the URL parameter {@code hlsSession=<expiry>.<signature>}: epoch seconds, and an HMAC over the stream and
 * that expiry, so any node holding the key can check it without a store and nobody can make or stretch one.
 * The key is derived from the cluster secret (every node accepts the sessions of every other, and those of
 * a previous secret during a rotation), or drawn at random by a node that has none.
 */
public final class MediaSessions {
    /** The URL parameter. */
    public static final String PARAM = "hlsSession";
    private static final String HMAC = "HmacSHA256";
    private static final byte[] PURPOSE = "tributary-media-session".getBytes(StandardCharsets.US_ASCII);
    /** 128 bits of signature are plenty and keep URLs short. */
    private static final int SIGNATURE_BYTES = 16;

    private final List<byte[]> keys;
    private final Duration lifetime;
    private final LongSupplier wallClock;

    /** @param keys the first signs, all are accepted */
    MediaSessions(List<byte[]> keys, Duration lifetime, LongSupplier wallClock) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("media sessions need a key");
        }
        this.keys = List.copyOf(keys);
        this.lifetime = lifetime;
        this.wallClock = wallClock;
    }

    /**
     * Sessions keyed from the cluster's key material ({@code derivedKeys}: the current one first, previous
     * ones after), or from a random key when there is none (a single node: its sessions end with it).
     */
    public static MediaSessions of(List<byte[]> derivedKeys, Duration lifetime, LongSupplier wallClock) {
        List<byte[]> keys = new ArrayList<>();
        if (derivedKeys.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            keys.add(random);
        } else {
            for (byte[] k : derivedKeys) {
                keys.add(mac(k, PURPOSE));
            }
        }
        return new MediaSessions(keys, lifetime, wallClock);
    }

    /** A new session for {@code path}, valid for the configured lifetime. */
    public String issue(StreamPath path) {
        long expiry = (wallClock.getAsLong() + lifetime.toMillis()) / 1000;
        return expiry + "." + sign(keys.get(0), path, expiry);
    }

    /** Empty when {@code session} lets its holder fetch {@code path}'s playlists and media now; otherwise why not. */
    public Optional<String> check(String session, StreamPath path) {
        int dot = session.indexOf('.');
        long expiry;
        try {
            expiry = dot > 0 ? Long.parseLong(session.substring(0, dot)) : -1;
        } catch (NumberFormatException e) {
            expiry = -1;
        }
        if (expiry < 0) {
            return Optional.of("the " + PARAM + " parameter is malformed");
        }
        byte[] given = session.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        boolean signed = false;
        for (byte[] key : keys) {
            signed |= MessageDigest.isEqual(given, sign(key, path, expiry).getBytes(StandardCharsets.US_ASCII));
        }
        if (!signed) {
            return Optional.of("the " + PARAM + " parameter is not one this cluster issued for " + path);
        }
        if (expiry * 1000 <= wallClock.getAsLong()) {
            return Optional.of("the session expired; ask for the playlist again with a new token");
        }
        return Optional.empty();
    }

    private static String sign(byte[] key, StreamPath path, long expiry) {
        byte[] full = mac(key, (path.app() + "/" + path.streamId() + "|" + expiry).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, SIGNATURE_BYTES));
    }

    private static byte[] mac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
        }
    }
}

package io.tributary.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.RecordKind;
import io.tributary.cluster.store.Records;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The tokens a sign-in gives: HS256 JWTs naming the user (sub), for the REST audience, living {@code ttl}.
 * The signing key is 32 random bytes generated once per cluster and kept in the cluster store (record
 * {@code secret/rest-token-key}), so a token from one node is good on every node and survives restarts;
 * deleting that record (and restarting the nodes) invalidates every token issued.
 */
public final class RestTokens {
    static final String KEY_RECORD = "rest-token-key";
    static final String ISSUER = "tributary";
    static final String AUDIENCE = "tributary-rest";
    private static final int MAX_TOKEN_LENGTH = 4096;
    private static final long CLOCK_SKEW_MS = 30_000;

    /** A token that verified. */
    public record Holder(String username, long expiresAt) {
    }

    /** A token just issued. */
    public record Issued(String token, long expiresAt) {
    }

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration ttl;
    private final LongSupplier clock;

    RestTokens(byte[] key, Duration ttl, LongSupplier clock) {
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("unusable REST token key: " + e.getMessage(), e);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Reads the cluster's signing key from the store, creating it when this is the first node to need it. */
    public static RestTokens fromStore(ClusterStore store, Duration ttl, LongSupplier clock) {
        Optional<String> stored = store.record(RecordKind.SECRET, KEY_RECORD);
        if (stored.isEmpty()) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            store.insertRecord(RecordKind.SECRET, KEY_RECORD, "\"" + Base64.getEncoder().encodeToString(fresh) + "\"",
                    Records.NEVER);
            // Whoever inserted first, everyone uses what the store now holds.
            stored = store.record(RecordKind.SECRET, KEY_RECORD);
        }
        String json = stored.orElseThrow(() -> new IllegalStateException("the REST token key vanished from the store"));
        return new RestTokens(Base64.getDecoder().decode(json.replace("\"", "")), ttl, clock);
    }

    public Issued issue(String username) {
        long now = clock.getAsLong();
        long expiresAt = now + ttl.toMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(username)
                .issueTime(new Date(now)).expirationTime(new Date(expiresAt)).jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a REST token: " + e.getMessage(), e);
        }
        return new Issued(jwt.serialize(), expiresAt);
    }

    /** The holder of a valid token; empty for anything else (garbage, another key or audience, expired). */
    public Optional<Holder> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            List<String> audience = claims.getAudience();
            if (!ISSUER.equals(claims.getIssuer()) || audience == null || !audience.contains(AUDIENCE)
                    || claims.getSubject() == null || exp == null || exp.getTime() + CLOCK_SKEW_MS < clock.getAsLong()) {
                return Optional.empty();
            }
            return Optional.of(new Holder(claims.getSubject(), exp.getTime()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

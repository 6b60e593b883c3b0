package io.tributary.cluster.comm;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.cluster.comm.ClusterTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies the short-lived tokens (HS256 JWTs) nodes put on their internal HTTP requests to
 * each other. A token names the sending node (iss) and the receiving one (aud), so a token captured on
 * its way to one node cannot be used against another, and it lives only {@code ttl}, so a captured one
 * is soon useless. Keys are derived from the cluster secrets, never the secrets themselves.
 */
public final class ClusterTokens {

    /** Longer than any real token; refusing early keeps garbage from reaching the JSON parser. */
    private static final int MAX_TOKEN_LENGTH = 8192;
    private static final byte[] SALT = "tributary-cluster".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = "cluster-token-hs256".getBytes(StandardCharsets.US_ASCII);
    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;

    private final String selfNodeId;
    private final Duration ttl;
    private final Duration maxClockSkew;
    private final Clock clock;
    private final String currentKeyId;
    private final MACSigner signer;
    private final Map<String, MACVerifier> verifiers = new LinkedHashMap<>();

    public ClusterTokens(String selfNodeId, ClusterSecrets secrets, Duration ttl, Duration maxClockSkew, Clock clock) {
        if (selfNodeId == null || selfNodeId.isBlank()) {
            throw new IllegalArgumentException("the node id is needed to issue cluster tokens");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the cluster token lifetime must be positive (got " + ttl + ")");
        }
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("the allowed clock skew cannot be negative (got " + maxClockSkew + ")");
        }
        this.selfNodeId = selfNodeId;
        this.ttl = ttl;
        this.maxClockSkew = maxClockSkew;
        this.clock = Objects.requireNonNull(clock, "clock");
        byte[] currentKey = deriveKey(secrets.current());
        this.currentKeyId = keyId(currentKey);
        try {
            this.signer = new MACSigner(currentKey);
            verifiers.put(currentKeyId, new MACVerifier(currentKey));
            for (String secret : secrets.previous()) {
                byte[] key = deriveKey(secret);
                verifiers.putIfAbsent(keyId(key), new MACVerifier(key));
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot use the derived cluster key: " + e.getMessage(), e);
        }
    }

    /**
     * A JWT (HS256) signed with the current key: iss = this node, aud = {@code audience} (the receiving
     * node id), iat, nbf, exp = now + ttl, a random jti, and {@code extraClaims} (which cannot replace
     * those; null means none). The header's kid is the key's id.
     */
    public String issue(String audience, Map<String, Object> extraClaims) {
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("a cluster token needs the receiving node id as audience");
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        (extraClaims == null ? Map.<String, Object>of() : extraClaims).forEach((name, value) -> {
            if (JWTClaimsSet.getRegisteredNames().contains(name)) {
                throw new IllegalArgumentException("the claim \"" + name + "\" is set by ClusterTokens itself");
            }
            claims.claim(name, value);
        });
        claims.issuer(selfNodeId)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(JOSEObjectType.JWT)
                .keyID(currentKeyId)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a cluster token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /**
     * Verifies {@code token}: its algorithm is HS256 (nothing else, not "none"), its signature is by the
     * current key or a previous one (chosen by kid), it is for {@code expectedAudience} (this node), and
     * its exp, nbf and iat are right within the allowed clock skew.
     *
     * <p>This does not check that the issuer is a node of the cluster: the caller must compare
     * {@link VerifiedToken#issuer()} with the live node list (and may remember {@link VerifiedToken#id()}
     * to refuse replays within the token's short life).
     */
    public VerifiedToken verify(String token, String expectedAudience) throws ClusterTokenException {
        SignedJWT jwt = parse(token);
        MACVerifier verifier = verifierFor(jwt.getHeader().getKeyID());
        try {
            if (!jwt.verify(verifier)) {
                throw new ClusterTokenException(Reason.BAD_SIGNATURE,
                        "token signature does not match its key " + jwt.getHeader().getKeyID()
                                + ": the token was altered or forged");
            }
        } catch (JOSEException e) {
            throw new ClusterTokenException(Reason.BAD_SIGNATURE,
                    "cannot check the token signature: " + e.getMessage());
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new ClusterTokenException(Reason.MALFORMED, "token claims are not valid JSON: " + e.getMessage());
        }
        return TokenClaims.check(claims, expectedAudience, clock.instant(), maxClockSkew);
    }

    private static SignedJWT parse(String token) throws ClusterTokenException {
        if (token == null || token.isBlank()) {
            throw new ClusterTokenException(Reason.MISSING,
                    "no cluster token: send it as \"Authorization: Bearer <token>\"");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new ClusterTokenException(Reason.MALFORMED, "token is " + token.length()
                    + " characters long, more than " + MAX_TOKEN_LENGTH + ": not a cluster token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new ClusterTokenException(Reason.MALFORMED,
                    "not a JWT: a cluster token has 3 dot-separated parts, this one has " + parts.length);
        }
        // The algorithm is checked before anything else so that an unsigned ("none") token or one
        // meant for another algorithm is never handed to a verifier.
        Header header;
        try {
            header = Header.parse(new Base64URL(parts[0]));
        } catch (ParseException e) {
            throw new ClusterTokenException(Reason.MALFORMED,
                    "not a JWT: unreadable header (" + e.getMessage() + ")");
        }
        String algorithm = header.getAlgorithm() == null ? "none" : header.getAlgorithm().getName();
        if (!JWSAlgorithm.HS256.getName().equals(algorithm)) {
            throw new ClusterTokenException(Reason.WRONG_ALGORITHM,
                    "token uses the algorithm \"" + algorithm + "\"; cluster tokens are HS256 only");
        }
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new ClusterTokenException(Reason.MALFORMED, "not a JWT: " + e.getMessage());
        }
    }

    private MACVerifier verifierFor(String keyId) throws ClusterTokenException {
        if (keyId == null) {
            throw new ClusterTokenException(Reason.UNKNOWN_KEY,
                    "token names no signing key (kid): it was not issued by a Tributary node");
        }
        MACVerifier verifier = verifiers.get(keyId);
        if (verifier == null) {
            throw new ClusterTokenException(Reason.UNKNOWN_KEY, "token signed with key " + keyId
                    + ", which is neither this node's cluster secret nor one of its previous secrets (this node"
                    + " knows keys " + String.join(", ", verifiers.keySet())
                    + "): check that every node has the same cluster secret");
        }
        return verifier;
    }

    /** The HS256 key for a cluster secret: HKDF-SHA256 with a fixed salt and info, 32 bytes. */
    public static byte[] deriveKey(String secret) {
        return hkdf(SALT, secret.getBytes(StandardCharsets.UTF_8), INFO, HASH_LENGTH);
    }

    /** First 16 hex characters of SHA-256(key): lets a receiver pick the right key during a rotation. */
    public static String keyId(byte[] key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** The token in an {@code Authorization: Bearer <token>} header (scheme in any case), or null. */
    public static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return null;
        }
        String token = value.substring(space + 1).strip();
        return token.isEmpty() ? null : token;
    }

    /** HKDF (RFC 5869) with HMAC-SHA256: extract with {@code salt}, then expand to {@code length} bytes. */
    static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 gives 1 to " + 255 * HASH_LENGTH + " bytes, not "
                    + length);
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            // RFC 5869 2.2: no salt means HashLen zero bytes (and an empty HMAC key is not allowed).
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_LENGTH] : salt, HMAC));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, HMAC));
            byte[] okm = new byte[length];
            byte[] block = new byte[0];
            for (int counter = 1, filled = 0; filled < length; counter++) {
                mac.update(block);
                mac.update(info);
                mac.update((byte) counter);
                block = mac.doFinal();
                int n = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, okm, filled, n);
                filled += n;
            }
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }
}

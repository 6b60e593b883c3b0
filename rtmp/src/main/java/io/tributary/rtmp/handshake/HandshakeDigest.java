package io.tributary.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Flash "digest" (a.k.a. complex) RTMP handshake as pure functions over 1536-byte packets.
 *
 * <p>Flash Player and ffmpeg put an HMAC-SHA256 digest into C1 and, when the server's S1 carries a
 * non-zero version, expect S1 to carry a server digest and S2 to be signed with a key derived from
 * the client's digest. Nothing here is secret or secure: the keys are public constants, and the
 * point is only to look like Flash Media Server to clients that check.
 *
 * <p>Layout of C1/S1: time(4) version(4) then two 764-byte blocks. Scheme 0 keeps the digest in the
 * first block (offset bytes at 8), scheme 1 in the second (offset bytes at 772). The digest
 * position is {@code (sum of the 4 offset bytes) % 728 + base + 4}. (Write-ups disagree on which
 * layout to call scheme 0; the offsets are what matter.)
 */
public final class HandshakeDigest {

    public static final int PACKET_LENGTH = 1536;
    public static final int DIGEST_LENGTH = 32;
    /** Flash Player 10.0.45.2, as ffmpeg also claims; nginx-rtmp answers with digests only to a non-zero version. */
    public static final int FLASH_CLIENT_VERSION = 0x0A002D02;
    /**
     * The version we put in a digest S1, 4.5.0.1: ffmpeg players validate S1/S2 only when the first
     * version byte is at least 3, as Flash Media Server's are.
     */
    public static final int SERVER_VERSION = 0x04050001;

    private static final int[] SCHEME_BASES = {8, 772};
    private static final int OFFSET_MODULO = 728;
    private static final int SIGNED_LENGTH = PACKET_LENGTH - DIGEST_LENGTH;

    private static final byte[] KEY_TAIL = hex("F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE");
    /** "Genuine Adobe Flash Player 001" + tail: 30 bytes sign C1, all 62 derive the C2 key. */
    static final byte[] CLIENT_KEY = concat("Genuine Adobe Flash Player 001", KEY_TAIL);
    private static final int CLIENT_KEY_SHORT = 30;
    /** "Genuine Adobe Flash Media Server 001" + tail: 36 bytes sign S1, all 68 derive the S2 key. */
    static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001", KEY_TAIL);
    private static final int SERVER_KEY_SHORT = 36;

    // Mac.getInstance does a provider lookup; one instance per event-loop thread is enough.
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java SE runtime", e);
        }
    });

    private HandshakeDigest() {
    }

    /** Where the digest sits in {@code packet} under {@code scheme} (0 or 1). */
    public static int digestOffset(byte[] packet, int scheme) {
        int base = SCHEME_BASES[scheme];
        int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF)
                + (packet[base + 2] & 0xFF) + (packet[base + 3] & 0xFF);
        return sum % OFFSET_MODULO + base + 4;
    }

    /** The scheme a digest offset returned by the find methods belongs to. */
    public static int schemeOf(int digestOffset) {
        return digestOffset >= SCHEME_BASES[1] + 4 ? 1 : 0;
    }

    /** Offset of a valid client digest in C1 (scheme 1 tried first, as Flash uses it), or -1. */
    public static int findClientDigest(byte[] c1) {
        return findDigest(c1, CLIENT_KEY, CLIENT_KEY_SHORT);
    }

    /** Offset of a valid server digest in S1, or -1. */
    public static int findServerDigest(byte[] s1) {
        return findDigest(s1, SERVER_KEY, SERVER_KEY_SHORT);
    }

    public static boolean validateServerS1(byte[] s1) {
        return findServerDigest(s1) >= 0;
    }

    /** A digest C1: time, {@link #FLASH_CLIENT_VERSION}, {@code random} (1528 bytes), digest written in. */
    public static byte[] clientC1(int scheme, long time, byte[] random) {
        byte[] c1 = packet(time, FLASH_CLIENT_VERSION, random);
        signClientC1(c1, scheme);
        return c1;
    }

    /** A digest S1: time, {@link #SERVER_VERSION}, {@code random} (1528 bytes), digest written in. */
    public static byte[] serverS1(int scheme, long time, byte[] random) {
        byte[] s1 = packet(time, SERVER_VERSION, random);
        signServerS1(s1, scheme);
        return s1;
    }

    /** Writes the client digest into a C1 whose other bytes are final; returns the digest offset. */
    public static int signClientC1(byte[] c1, int scheme) {
        return sign(c1, scheme, CLIENT_KEY, CLIENT_KEY_SHORT);
    }

    /** Writes the server digest into an S1 whose other bytes are final; returns the digest offset. */
    public static int signServerS1(byte[] s1, int scheme) {
        return sign(s1, scheme, SERVER_KEY, SERVER_KEY_SHORT);
    }

    /** An S2 answering the digest at {@code c1[c1DigestOffset]}: {@code random} (1504 used), signature. */
    public static byte[] serverS2(byte[] c1, int c1DigestOffset, byte[] random) {
        byte[] s2 = new byte[PACKET_LENGTH];
        System.arraycopy(random, 0, s2, 0, SIGNED_LENGTH);
        responseSignature(s2, c1, c1DigestOffset, SERVER_KEY, s2, SIGNED_LENGTH);
        return s2;
    }

    /** A C2 answering the digest at {@code s1[s1DigestOffset]}: {@code random} (1504 used), signature. */
    public static byte[] clientC2(byte[] s1, int s1DigestOffset, byte[] random) {
        byte[] c2 = new byte[PACKET_LENGTH];
        System.arraycopy(random, 0, c2, 0, SIGNED_LENGTH);
        responseSignature(c2, s1, s1DigestOffset, CLIENT_KEY, c2, SIGNED_LENGTH);
        return c2;
    }

    /** Whether S2 is signed for the client digest at {@code c1[c1DigestOffset]}, as ffmpeg checks it. */
    public static boolean validateServerS2(byte[] s2, byte[] c1, int c1DigestOffset) {
        byte[] expected = new byte[DIGEST_LENGTH];
        responseSignature(s2, c1, c1DigestOffset, SERVER_KEY, expected, 0);
        return regionEquals(expected, s2, SIGNED_LENGTH);
    }

    /** Whether C2 is signed for the server digest at {@code s1[s1DigestOffset]}. */
    public static boolean validateClientC2(byte[] c2, byte[] s1, int s1DigestOffset) {
        byte[] expected = new byte[DIGEST_LENGTH];
        responseSignature(c2, s1, s1DigestOffset, CLIENT_KEY, expected, 0);
        return regionEquals(expected, c2, SIGNED_LENGTH);
    }

    private static int findDigest(byte[] packet, byte[] key, int keyLength) {
        checkLength(packet);
        byte[] computed = new byte[DIGEST_LENGTH];
        for (int scheme = 1; scheme >= 0; scheme--) {
            int offset = digestOffset(packet, scheme);
            packetDigest(packet, offset, key, keyLength, computed);
            if (regionEquals(computed, packet, offset)) {
                return offset;
            }
        }
        return -1;
    }

    private static int sign(byte[] packet, int scheme, byte[] key, int keyLength) {
        checkLength(packet);
        int offset = digestOffset(packet, scheme);
        byte[] digest = new byte[DIGEST_LENGTH];
        packetDigest(packet, offset, key, keyLength, digest);
        System.arraycopy(digest, 0, packet, offset, DIGEST_LENGTH);
        return offset;
    }

    /** HMAC over the whole packet except the 32 digest bytes themselves. */
    private static void packetDigest(byte[] packet, int offset, byte[] key, int keyLength, byte[] into) {
        Mac mac = mac(key, keyLength);
        mac.update(packet, 0, offset);
        mac.update(packet, offset + DIGEST_LENGTH, PACKET_LENGTH - offset - DIGEST_LENGTH);
        doFinal(mac, into, 0);
    }

    /** HMAC(response[0..1504), key = HMAC(peer digest, full key)) written to {@code into[intoOffset]}. */
    private static void responseSignature(byte[] response, byte[] peer, int peerDigestOffset, byte[] fullKey,
                                          byte[] into, int intoOffset) {
        checkLength(response);
        checkLength(peer);
        Mac mac = mac(fullKey, fullKey.length);
        mac.update(peer, peerDigestOffset, DIGEST_LENGTH);
        byte[] derivedKey = mac.doFinal();
        Mac signer = mac(derivedKey, DIGEST_LENGTH);
        signer.update(response, 0, SIGNED_LENGTH);
        doFinal(signer, into, intoOffset);
    }

    private static Mac mac(byte[] key, int keyLength) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, 0, keyLength, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return mac;
    }

    private static void doFinal(Mac mac, byte[] into, int offset) {
        try {
            mac.doFinal(into, offset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean regionEquals(byte[] digest, byte[] packet, int offset) {
        return Arrays.equals(digest, 0, DIGEST_LENGTH, packet, offset, offset + DIGEST_LENGTH);
    }

    private static byte[] packet(long time, int version, byte[] random) {
        if (random.length < PACKET_LENGTH - 8) {
            throw new IllegalArgumentException("need 1528 random bytes, got " + random.length);
        }
        byte[] packet = new byte[PACKET_LENGTH];
        putInt(packet, 0, (int) time);
        putInt(packet, 4, version);
        System.arraycopy(random, 0, packet, 8, PACKET_LENGTH - 8);
        return packet;
    }

    private static void putInt(byte[] into, int offset, int value) {
        into[offset] = (byte) (value >>> 24);
        into[offset + 1] = (byte) (value >>> 16);
        into[offset + 2] = (byte) (value >>> 8);
        into[offset + 3] = (byte) value;
    }

    private static void checkLength(byte[] packet) {
        if (packet.length != PACKET_LENGTH) {
            throw new IllegalArgumentException("handshake packets are 1536 bytes, got " + packet.length);
        }
    }

    private static byte[] concat(String text, byte[] tail) {
        byte[] head = text.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return bytes;
    }
}

package io.tributary.rtmp.handshake;

import static io.tributary.rtmp.handshake.HandshakeDigest.DIGEST_LENGTH;
import static io.tributary.rtmp.handshake.HandshakeDigest.PACKET_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeDigestTest {

    /** Filler whose byte at packet position i is i*7; the known answers were computed for it with Python's hmac. */
    private static byte[] filler() {
        byte[] random = new byte[PACKET_LENGTH - 8];
        for (int i = 0; i < random.length; i++) {
            random[i] = (byte) ((i + 8) * 7);
        }
        return random;
    }

    private static byte[] s2Filler() {
        byte[] random = new byte[PACKET_LENGTH];
        for (int i = 0; i < random.length; i++) {
            random[i] = (byte) (i * 3);
        }
        return random;
    }

    static Stream<Arguments> knownAnswers() {
        return Stream.of(
                Arguments.of(0, 278, "52532154b858622dc3daf76b484ffd2312774935d491a2b5562bd92fcf35864f",
                        "fa22303ef7466b38cf81eadc97f9942e90a3bed9eb378f16f9aec130835e9bff",
                        "9726fc7c74ab5e8eb343eb38f55a304b8480aba2e00b35c0cd6da319a1bd347f"),
                Arguments.of(1, 930, "d4d94d28f5ec3671150062f2891287e8a544589d96bedadcc8e9e441a4487c79",
                        "433fb72f625f5cd17f865e8f8b573fd6a3bca7173535171fd5130ba4678475c0",
                        "225e9ae88faa2acc711331bd7ed5a06bfde83dbc4a95379a737caf81c8168cfb"));
    }

    @ParameterizedTest(name = "scheme {0}")
    @MethodSource("knownAnswers")
    void matchesIndependentlyComputedDigests(int scheme, int offset, String c1Digest, String s2Signature,
                                             String s1Digest) {
        byte[] c1 = HandshakeDigest.clientC1(scheme, 0, filler());
        assertThat(HandshakeDigest.findClientDigest(c1)).isEqualTo(offset);
        assertThat(HandshakeDigest.schemeOf(offset)).isEqualTo(scheme);
        assertThat(hex(c1, offset, DIGEST_LENGTH)).isEqualTo(c1Digest);
        assertThat(hex(c1, 4, 4)).isEqualTo("0a002d02");

        byte[] s2 = HandshakeDigest.serverS2(c1, offset, s2Filler());
        assertThat(hex(s2, PACKET_LENGTH - DIGEST_LENGTH, DIGEST_LENGTH)).isEqualTo(s2Signature);
        assertThat(Arrays.copyOf(s2, 1504)).isEqualTo(Arrays.copyOf(s2Filler(), 1504));

        byte[] s1 = HandshakeDigest.serverS1(scheme, 0, filler());
        assertThat(hex(s1, offset, DIGEST_LENGTH)).isEqualTo(s1Digest);
        assertThat(hex(s1, 4, 4)).isEqualTo("04050001");
    }

    @Test
    void keysAreTheFlashConstants() {
        assertThat(new String(HandshakeDigest.CLIENT_KEY, 0, 30, StandardCharsets.US_ASCII))
                .isEqualTo("Genuine Adobe Flash Player 001");
        assertThat(new String(HandshakeDigest.SERVER_KEY, 0, 36, StandardCharsets.US_ASCII))
                .isEqualTo("Genuine Adobe Flash Media Server 001");
        assertThat(HandshakeDigest.CLIENT_KEY).hasSize(62);
        assertThat(HandshakeDigest.SERVER_KEY).hasSize(68);
        assertThat(hex(HandshakeDigest.SERVER_KEY, 36, 32))
                .isEqualTo("f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae");
    }

    @Test
    void digestOffsetIsTheSumOfFourBytesModulo728AfterTheBase() {
        byte[] packet = new byte[PACKET_LENGTH];
        Arrays.fill(packet, 8, 12, (byte) 0xFF);
        packet[772] = 1;
        packet[773] = 2;
        packet[774] = 3;
        packet[775] = 4;
        assertThat(HandshakeDigest.digestOffset(packet, 0)).isEqualTo(1020 % 728 + 12);
        assertThat(HandshakeDigest.digestOffset(packet, 1)).isEqualTo(10 + 776);
    }

    @ParameterizedTest(name = "scheme {0}")
    @ValueSource(ints = {0, 1})
    void findsOnlyTheRightKindOfDigest(int scheme) {
        byte[] c1 = HandshakeDigest.clientC1(scheme, 1234, filler());
        byte[] s1 = HandshakeDigest.serverS1(scheme, 1234, filler());

        assertThat(HandshakeDigest.findServerDigest(c1)).isEqualTo(-1);
        assertThat(HandshakeDigest.findClientDigest(s1)).isEqualTo(-1);
        assertThat(HandshakeDigest.validateServerS1(s1)).isTrue();
        assertThat(HandshakeDigest.validateServerS1(c1)).isFalse();

        c1[1500] ^= 1;
        assertThat(HandshakeDigest.findClientDigest(c1)).as("one flipped bit spoils the digest").isEqualTo(-1);
    }

    @Test
    void plainPacketsCarryNoDigest() {
        byte[] plain = new byte[PACKET_LENGTH];
        System.arraycopy(filler(), 0, plain, 8, PACKET_LENGTH - 8);
        assertThat(HandshakeDigest.findClientDigest(plain)).isEqualTo(-1);
        assertThat(HandshakeDigest.findServerDigest(plain)).isEqualTo(-1);
    }

    @Test
    void responsesAreSignedForThePeersDigest() {
        byte[] c1 = HandshakeDigest.clientC1(0, 0, filler());
        int c1Digest = HandshakeDigest.findClientDigest(c1);
        byte[] s1 = HandshakeDigest.serverS1(1, 0, filler());
        int s1Digest = HandshakeDigest.findServerDigest(s1);

        byte[] s2 = HandshakeDigest.serverS2(c1, c1Digest, s2Filler());
        byte[] c2 = HandshakeDigest.clientC2(s1, s1Digest, s2Filler());

        assertThat(HandshakeDigest.validateServerS2(s2, c1, c1Digest)).isTrue();
        assertThat(HandshakeDigest.validateClientC2(c2, s1, s1Digest)).isTrue();
        assertThat(HandshakeDigest.validateServerS2(c2, c1, c1Digest)).as("C2 is signed with the client key").isFalse();
        assertThat(HandshakeDigest.validateServerS2(c1, c1, c1Digest)).as("an echo is not a signature").isFalse();
    }

    private static String hex(byte[] bytes, int offset, int length) {
        return ByteBufUtil.hexDump(bytes, offset, length);
    }
}

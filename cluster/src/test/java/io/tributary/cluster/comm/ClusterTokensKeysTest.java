package io.tributary.cluster.comm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key derivation and the small helpers of {@link ClusterTokens}. */
class ClusterTokensKeysTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    /** RFC 5869 appendix A, test cases 1 to 3 (HMAC-SHA256); an empty salt means HashLen zeros. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b | 000102030405060708090a0b0c | f0f1f2f3f4f5f6f7f8f9 | 42 | "
                + "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
                + "303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f"
                + " | 606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
                + "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
                + " | b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
                + "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff | 82 | "
                + "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09"
                + "da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b | | | 42 | "
                + "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    })
    void hkdfMatchesTheRfc5869TestVectors(String ikm, String salt, String info, int length, String okm) {
        byte[] derived = ClusterTokens.hkdf(bytes(salt), bytes(ikm), bytes(info), length);

        assertThat(HEX.formatHex(derived)).isEqualTo(okm);
    }

    @Test
    void equalSecretsGiveEqualKeys() {
        assertThat(ClusterTokens.deriveKey(SECRET)).isEqualTo(ClusterTokens.deriveKey(new String(SECRET)));
    }

    @Test
    void differentSecretsGiveDifferentKeys() {
        assertThat(ClusterTokens.deriveKey(SECRET)).isNotEqualTo(ClusterTokens.deriveKey(SECRET + "x"));
    }

    @Test
    void aKeyIsThirtyTwoBytesAndNotTheSecretItself() {
        byte[] key = ClusterTokens.deriveKey(SECRET);

        assertThat(key).hasSize(32).isNotEqualTo(SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aKeyIdIsTheStartOfTheKeysSha256() throws Exception {
        byte[] key = ClusterTokens.deriveKey(SECRET);
        String sha256 = HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(key));

        assertThat(ClusterTokens.keyId(key)).hasSize(16).isEqualTo(sha256.substring(0, 16));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "Bearer abc.def.ghi      | abc.def.ghi",
        "bearer abc.def.ghi      | abc.def.ghi",
        "BEARER   abc.def.ghi    | abc.def.ghi",
        "Basic dXNlcjpwYXNz      | null",
        "Bearer                  | null",
        "Bearerabc.def.ghi       | null",
        "abc.def.ghi             | null",
        "null                    | null",
    })
    void bearerExtractsTheTokenOfABearerHeader(String header, String token) {
        assertThat(ClusterTokens.bearer(header)).isEqualTo(token);
    }

    private static byte[] bytes(String hex) {
        return hex == null ? new byte[0] : HEX.parseHex(hex);
    }
}

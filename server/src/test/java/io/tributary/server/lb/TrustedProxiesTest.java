package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.media.Addresses;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who the client is, given the peer and its X-Forwarded-For headers (several headers separated by '|'). */
class TrustedProxiesTest {
    private static final TrustedProxies TRUSTED = TrustedProxies.of(List.of("127.0.0.1/32", "10.0.0.0/8"));

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For \"{1}\": {2}")
    @CsvSource(delimiter = ';', nullValues = "none", value = {
        "127.0.0.1;   none;                              127.0.0.1:4000",
        "127.0.0.1;   203.0.113.9;                       203.0.113.9",
        "198.51.100.1; 203.0.113.9;                      198.51.100.1:4000",
        "127.0.0.1;   192.0.2.66, 203.0.113.9;           203.0.113.9",
        "127.0.0.1;   203.0.113.9, 10.0.0.5;             203.0.113.9",
        "127.0.0.1;   203.0.113.9|10.0.0.5;              203.0.113.9",
        "127.0.0.1;   10.0.0.7, 10.0.0.5;                10.0.0.7",
        "127.0.0.1;   unknown;                           127.0.0.1:4000",
        "127.0.0.1;   203.0.113.9, unknown, 10.0.0.5;    10.0.0.5",
        "127.0.0.1;   [2001:db8::7]:4711;                2001:db8:0:0:0:0:0:7",
        "127.0.0.1;   203.0.113.9:4711;                  203.0.113.9",
        "127.0.0.1;   '';                                127.0.0.1:4000",
    })
    void theClientIsTheRightMostUntrustedHop(String peer, String forwardedFor, String client) {
        List<String> headers = forwardedFor == null ? List.of() : Arrays.asList(forwardedFor.split("\\|"));

        assertThat(Addresses.format(TRUSTED.client(new InetSocketAddress(peer, 4000), headers))).isEqualTo(client);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "10.20.30.40, true", "::ffff:10.1.1.1, true", "11.0.0.1, false", "::1, false"})
    void trustsPeersInItsBlocks(String peer, boolean trusted) {
        assertThat(TRUSTED.trusts(new InetSocketAddress(peer, 1))).isEqualTo(trusted);
        assertThat(TrustedProxies.none().trusts(new InetSocketAddress(peer, 1))).isFalse();
    }
}

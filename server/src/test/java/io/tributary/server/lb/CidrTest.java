package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8,       10.255.3.4,        true",
        "10.0.0.0/8,       11.0.0.1,          false",
        "127.0.0.1/32,     127.0.0.1,         true",
        "127.0.0.1/32,     127.0.0.2,         false",
        "127.0.0.1,        127.0.0.1,         true",
        "192.168.4.0/22,   192.168.7.255,     true",
        "192.168.4.0/22,   192.168.8.0,       false",
        "192.168.4.77/22,  192.168.5.1,       true",
        "0.0.0.0/0,        203.0.113.9,       true",
        "0.0.0.0/0,        2001:db8::1,       false",
        "10.0.0.0/8,       ::ffff:10.1.2.3,   true",
        "2001:db8::/32,    2001:db8:ffff::1,  true",
        "2001:db8::/32,    2001:db9::1,       false",
        "::1,              ::1,               true",
        "fd00::/8,         10.0.0.1,          false",
    })
    void containment(String cidr, String address, boolean contained) throws Exception {
        assertThat(Cidr.parse(cidr).contains(InetAddress.getByName(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/33      | \"10.0.0.0/33\": the prefix length must be 0 to 32",
        "2001:db8::/129   | \"2001:db8::/129\": the prefix length must be 0 to 128",
        "10.0.0.0/x       | \"10.0.0.0/x\": the prefix length must be 0 to 32",
        "10.0.0           | \"10.0.0\" is not an IP address or CIDR block (e.g. 10.0.0.0/8, 192.0.2.7, 2001:db8::/32)",
        "proxy.local/32   | \"proxy.local/32\" is not an IP address or CIDR block (e.g. 10.0.0.0/8, 192.0.2.7, "
                + "2001:db8::/32)",
    })
    void badBlocksSayWhatIsExpected(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"10.1.2.3/8, 10.0.0.0/8", "2001:db8::1/32, 2001:db8:0:0:0:0:0:0/32", "192.0.2.7, 192.0.2.7/32"})
    void blocksAreWrittenByTheirNetwork(String text, String written) {
        assertThat(Cidr.parse(text)).hasToString(written);
    }
}

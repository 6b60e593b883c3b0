package io.tributary.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void addressesAreShownWithoutJavasSlashAndIpv6InBrackets() {
        assertThat(Addresses.format(new InetSocketAddress("192.0.2.7", 53422))).isEqualTo("192.0.2.7:53422");
        assertThat(Addresses.format(new InetSocketAddress("2001:db8::1", 1935))).isEqualTo("[2001:db8:0:0:0:0:0:1]:1935");
        assertThat(Addresses.host(new InetSocketAddress("2001:db8::1", 1935))).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void aClientNamedByForwardedForHasNoPortAndIsShownWithoutOne() {
        assertThat(Addresses.format(new InetSocketAddress("203.0.113.9", 0))).isEqualTo("203.0.113.9");
    }
}

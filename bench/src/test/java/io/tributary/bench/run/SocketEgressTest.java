package io.tributary.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketEgressTest {
    private static final String SS = """
            0      0      127.0.0.1:31935 127.0.0.1:41598
            \t bbr wscale:10,10 rto:204 rtt:0.031/0.012 mss:62464 cwnd:18 bytes_sent:84549 bytes_acked:84549 \
            bytes_received:3444 segs_out:109
            0      0      127.0.0.1:31935 127.0.0.1:41582
            \t bbr wscale:10,10 rto:204 rtt:3.708/7.302 bytes_sent:3482 bytes_acked:3400 bytes_received:225373
            """;

    @Test
    void eachConnectionIsKnownByItsPeerWithTheBytesItsPeerAcknowledged() {
        assertThat(SocketEgress.parse(SS)).isEqualTo(Map.of("127.0.0.1:41598", 84549L, "127.0.0.1:41582", 3400L));
    }

    @Test
    void betweenTwoSnapshotsConnectionsCountTheirGrowthAndNewOnesAllTheySent() {
        Map<String, Long> before = Map.of("a:1", 1000L, "gone:2", 500L);
        Map<String, Long> after = Map.of("a:1", 4000L, "new:3", 700L);

        assertThat(SocketEgress.between(before, after)).isEqualTo(3000 + 700);
    }

    @Test
    void aPortWithoutConnectionsSentNothing() {
        assertThat(SocketEgress.snapshot(Ports.free())).isEmpty();
    }
}

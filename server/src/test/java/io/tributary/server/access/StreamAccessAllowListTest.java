package io.tributary.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.media.StreamPath;
import io.tributary.rtmp.command.Status;
import io.tributary.server.lb.ProxyRelay;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher allow-list (ipFilterEnabled + allowedPublisherCIDR): publishers connecting from 127.0.0.2
 * (through a relay bound there) are outside {@code 127.0.0.1/32} and refused; publishers on 127.0.0.1 and
 * players from anywhere are not affected.
 */
class StreamAccessAllowListTest {
    private TestNode node;
    private AccessCalls calls;
    private ProxyRelay outside;
    private final TestRtmp rtmp = new TestRtmp();

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start();
        calls = new AccessCalls(node);
        calls.settings("live", "{\"ipFilterEnabled\": true, \"allowedPublisherCIDR\": \"127.0.0.1/32\"}");
        outside = new ProxyRelay(node.node().rtmpPort(), ProxyRelay.Header.NONE,
                new InetSocketAddress("127.0.0.2", 0), InetAddress.getByName("127.0.0.2"));
    }

    @AfterEach
    void stop() throws Exception {
        rtmp.close();
        outside.close();
        node.close();
    }

    @Test
    void aPublisherFromOutsideTheAllowListIsRefusedAndOneFromInsidePublishes() {
        try (ManagedProcess inside = Ffmpeg.publish(node.rtmpUrl("live", "inside"), Duration.ofSeconds(60), "aac",
                "640x360")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> node.node().streams()
                    .find(new StreamPath("live", "inside")).map(s -> s.info().width() > 0).orElse(false));

            try (ManagedProcess refused = Ffmpeg.publish("rtmp://127.0.0.1:" + outside.port() + "/live/outside",
                    Duration.ofSeconds(5), "aac", "640x360")) {
                assertThat(refused.waitFor(Duration.ofSeconds(20))).isNotZero();
                assertThat(refused.stderr()).contains("from 127.0.0.2 is not allowed");
            }
            assertThat(rtmp.publishRefusal(outside.port(), "outside")).isEqualTo(Status.PUBLISH_UNAUTHORIZED);
            assertThat(node.node().streams().find(new StreamPath("live", "outside"))).isEmpty();

            assertThat(inside.isAlive()).isTrue();
            TestRtmp.Playing player = rtmp.play(outside.port(), "inside");
            await().atMost(Duration.ofSeconds(10)).until(() -> player.frames().get() > 30);
        }
    }

    @Test
    void everyBlockOfTheListCounts() {
        calls.settings("live", "{\"allowedPublisherCIDR\": \"10.0.0.0/8, 127.0.0.2\"}");

        rtmp.publish(outside.port(), "outside");
        assertThat(rtmp.publishRefusal(node, "inside")).isEqualTo(Status.PUBLISH_UNAUTHORIZED);
    }

    @Test
    void anEmptyListLetsNobodyPublishUntilTheFilterIsOff() {
        calls.settings("live", "{\"allowedPublisherCIDR\": \"\"}");
        assertThat(rtmp.publishRefusal(node, "inside")).isEqualTo(Status.PUBLISH_UNAUTHORIZED);

        calls.settings("live", "{\"ipFilterEnabled\": false}");
        rtmp.publish(outside.port(), "outside");
    }
}

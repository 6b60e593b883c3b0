package io.tributary.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.StreamSettings;
import io.tributary.rtmp.client.RtmpPublication;
import io.tributary.rtmp.client.RtmpSession;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad clients lose their own connection and nothing else. */
class RtmpServerRobustnessTest {
    private RtmpServerHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // fmt 0, csid 2, ts 0, length 4, type 1 (Set Chunk Size), stream 0, value 0
            "set chunk size 0,                 020000000000040100000000 00000000",
            // the same with the top bit set
            "set chunk size with the top bit,  020000000000040100000000 80000000",
            // fmt 0, csid 3, length 0xFFFFFF (over the 1 MiB limit), type 20
            "message longer than the limit,    03000000FFFFFF1400000000 00",
            // fmt 1 on a chunk stream that never had a header
            "continuation of nothing,          4700000000001009",
            // a command message that is not AMF: name missing
            "command without a name,           030000000000031400000000 FFFFFF",
    })
    void aMalformedChunkClosesOnlyThatConnection(String what, String hex) throws Exception {
        harness = new RtmpServerHarness(StreamSettings.defaults(),
                new RtmpServerSettings(60_000, 1 << 20, Duration.ofSeconds(20), 2_500_000));
        RtmpPublication pub = harness.connect("live").publish("steady").get(5, TimeUnit.SECONDS);
        RecordingListener player = new RecordingListener();
        try (FramePump pump = new FramePump(pub, 10, 0).start()) {
            harness.connect("live").play("steady", player).get(5, TimeUnit.SECONDS);
            await().until(() -> player.videoFrames().size() >= 5);

            try (RawRtmpSocket bad = new RawRtmpSocket(harness.port()).handshake()) {
                bad.write(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
                assertThat(bad.closedByServer()).as(what + " closes the connection").isTrue();
            }

            int seen = player.videoFrames().size();
            await().atMost(Duration.ofSeconds(3)).until(() -> player.videoFrames().size() >= seen + 20);
            assertThat(player.closed()).isFalse();
        }
    }

    @Test
    void aHandshakeForEncryptedRtmpIsRefused() throws Exception {
        harness = new RtmpServerHarness();
        try (RawRtmpSocket s = new RawRtmpSocket(harness.port())) {
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 6;
            s.write(c0c1);
            assertThat(s.closedByServer()).isTrue();
        }
    }

    @Test
    void aConnectionThatNeverPublishesOrPlaysIsClosedAfterTheIdleTimeout() throws Exception {
        harness = new RtmpServerHarness(StreamSettings.defaults(),
                new RtmpServerSettings(60_000, 1 << 20, Duration.ofMillis(500), 2_500_000));
        try (RawRtmpSocket idle = new RawRtmpSocket(harness.port()).handshake()) {
            long start = System.nanoTime();
            assertThat(idle.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300),
                    Duration.ofSeconds(5));
        }
    }

    @Test
    void aPlayerThatStopsReadingIsCutOffWhileOthersKeepPlaying() throws Exception {
        harness = new RtmpServerHarness(new StreamSettings(Duration.ofSeconds(10), 16L << 20,
                Duration.ofMillis(400), 2), RtmpServerSettings.defaults());
        RtmpPublication pub = harness.connect("live").publish("busy").get(5, TimeUnit.SECONDS);
        // 40 KB pictures, 100 a second: 4 MB/s fills a stalled socket's buffers within seconds.
        try (FramePump pump = new FramePump(pub, 10, 0, 40_000).start()) {
            RecordingListener healthy = new RecordingListener();
            harness.connect("live").play("busy", healthy).get(5, TimeUnit.SECONDS);
            RecordingListener stalled = new RecordingListener();
            RtmpSession stalledSession = harness.connect("live");
            stalledSession.play("busy", stalled).get(5, TimeUnit.SECONDS);
            stalledSession.channel().config().setAutoRead(false);
            var stream = harness.registry.find(new StreamPath("live", "busy")).orElseThrow();
            assertThat(stream.viewers("rtmp")).isEqualTo(2);

            await().atMost(Duration.ofSeconds(15)).until(() -> stream.viewers("rtmp") == 1);
            int seen = healthy.videoFrames().size();
            await().atMost(Duration.ofSeconds(3)).until(() -> healthy.videoFrames().size() >= seen + 20);
            assertThat(healthy.closed()).isFalse();
        }
    }
}

package io.tributary.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.StreamSettings;
import io.tributary.rtmp.client.RtmpPublication;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.command.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RtmpServerPlaybackTest {
    private RtmpServerHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aPlayerJoiningMidStreamStartsOnAKeyframeAtTimeZeroAndSeesEveryLaterFrameInOrder() throws Exception {
        harness = new RtmpServerHarness();
        RtmpPublication pub = harness.connect("live").publish("cam1").get(5, TimeUnit.SECONDS);
        try (FramePump pump = new FramePump(pub, 10, 5_000).start()) {
            await().until(() -> pump.sent() >= 15);
            RecordingListener player = new RecordingListener();
            harness.connect("live").play("cam1", player).get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> player.videoFrames().size() >= 40);

            assertThat(player.statuses()).startsWith(Status.PLAY_RESET, Status.PLAY_START);
            List<RecordingListener.Received> frames = player.frames().stream()
                    .filter(f -> f.video() || f.audio()).toList();
            assertThat(frames.get(0).type()).as("configurations come before media").isEqualTo(Frame.Type.CONFIG);
            assertThat(frames).filteredOn(f -> f.type() == Frame.Type.CONFIG).hasSize(2);
            List<RecordingListener.Received> video = player.videoFrames();
            assertThat(video.get(0).key()).as("first picture is a keyframe").isTrue();
            assertThat(video.get(0).timestamp()).as("player clock starts at zero").isZero();
            for (int i = 1; i < video.size(); i++) {
                assertThat(video.get(i).marker()).as("frame %d follows frame %d", i, i - 1)
                        .isEqualTo((video.get(i - 1).marker() + 1) & 0xFF);
                assertThat(video.get(i).timestamp() - video.get(i - 1).timestamp()).isEqualTo(40);
            }
            assertMonotonicPerTrack(frames);
        }
    }

    @Test
    void playersRideThroughAPublisherRestartWithMonotonicTimestamps() throws Exception {
        harness = new RtmpServerHarness(new StreamSettings(Duration.ofSeconds(10), 16L << 20,
                Duration.ofSeconds(5), 3), RtmpServerSettings.defaults());
        RtmpSession first = harness.connect("live");
        RtmpPublication pub = first.publish("cam2").get(5, TimeUnit.SECONDS);
        RecordingListener player = new RecordingListener();
        try (FramePump pump = new FramePump(pub, 10, 90_000).start()) {
            await().until(() -> pump.sent() >= 5);
            harness.connect("live").play("cam2", player).get(5, TimeUnit.SECONDS);
            await().until(() -> player.videoFrames().size() >= 20);
        }
        first.close();
        await().until(() -> player.statuses().contains(Status.PLAY_UNPUBLISH_NOTIFY));
        int before = player.videoFrames().size();

        // The encoder comes back with its clock starting at zero again.
        RtmpPublication again = harness.connect("live").publish("cam2").get(5, TimeUnit.SECONDS);
        try (FramePump pump = new FramePump(again, 10, 0).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> player.videoFrames().size() >= before + 20);
        }
        assertThat(player.statuses()).containsSubsequence(Status.PLAY_START, Status.PLAY_UNPUBLISH_NOTIFY,
                Status.PLAY_PUBLISH_NOTIFY);
        assertThat(player.closed()).isFalse();
        List<RecordingListener.Received> video = player.videoFrames();
        assertThat(video.get(before).key()).as("after the restart the player resumes on a keyframe").isTrue();
        assertThat(video.get(before).timestamp()).isGreaterThan(video.get(before - 1).timestamp());
        assertMonotonicPerTrack(player.frames());
    }

    @Test
    void whenThePublisherStopsAndDoesNotReturnPlayersGetPlayStopAfterTheGrace() throws Exception {
        harness = new RtmpServerHarness(new StreamSettings(Duration.ofMillis(300), 16L << 20,
                Duration.ofSeconds(5), 3), RtmpServerSettings.defaults());
        RtmpPublication pub = harness.connect("live").publish("cam3").get(5, TimeUnit.SECONDS);
        RecordingListener player = new RecordingListener();
        try (FramePump pump = new FramePump(pub, 10, 0).start()) {
            harness.connect("live").play("cam3", player).get(5, TimeUnit.SECONDS);
            await().until(() -> player.videoFrames().size() >= 5);
            pub.unpublish();
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> player.statuses().contains(Status.PLAY_STOP));
        assertThat(player.statuses()).containsSubsequence(Status.PLAY_UNPUBLISH_NOTIFY, Status.PLAY_STOP);
        await().until(() -> harness.registry.find(new StreamPath("live", "cam3")).isEmpty());
    }

    @Test
    void manyPlayersOnOneStreamAllReceiveTheSameFrames() throws Exception {
        harness = new RtmpServerHarness();
        RtmpPublication pub = harness.connect("live").publish("fan").get(5, TimeUnit.SECONDS);
        List<RecordingListener> players = new java.util.ArrayList<>();
        try (FramePump pump = new FramePump(pub, 25, 0).start()) {
            await().until(() -> pump.sent() >= 1);
            for (int i = 0; i < 20; i++) {
                RecordingListener l = new RecordingListener();
                harness.connect("live").play("fan", l).get(5, TimeUnit.SECONDS);
                players.add(l);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> players.stream().allMatch(p -> p.videoFrames().size() >= 60));
        }
        assertThat(harness.registry.find(new StreamPath("live", "fan")).orElseThrow().viewers("rtmp")).isEqualTo(20);
        for (RecordingListener p : players) {
            assertThat(p.videoFrames().get(0).key()).isTrue();
            assertMonotonicPerTrack(p.frames());
        }
    }

    @Test
    void aPlayWithADurationStopsAfterThatMuchMedia() throws Exception {
        harness = new RtmpServerHarness();
        RtmpPublication pub = harness.connect("live").publish("short").get(5, TimeUnit.SECONDS);
        RecordingListener player = new RecordingListener();
        try (FramePump pump = new FramePump(pub, 10, 0).start()) {
            await().until(() -> pump.sent() >= 1);
            RtmpSession session = harness.connect("live");
            session.play("short", 1.0, player).get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> player.statuses().contains(Status.PLAY_STOP));
            int received = player.videoFrames().size();
            await().until(() -> pump.sent() >= received + 50);
            assertThat(player.videoFrames()).hasSize(received);
            assertThat(player.videoFrames().get(received - 1).timestamp()).isLessThan(1000);
            assertThat(received).as("1 s of 25 fps video").isBetween(24, 26);
            assertThat(player.closed()).as("the connection stays open for more plays").isFalse();
            await().until(() -> harness.registry.find(new StreamPath("live", "short")).orElseThrow()
                    .viewers("rtmp") == 0);
        }
    }

    static void assertMonotonicPerTrack(List<RecordingListener.Received> frames) {
        long video = -1;
        long audio = -1;
        for (RecordingListener.Received f : frames) {
            if (f.video()) {
                assertThat(f.timestamp()).isGreaterThanOrEqualTo(video);
                video = f.timestamp();
            } else if (f.audio()) {
                assertThat(f.timestamp()).isGreaterThanOrEqualTo(audio);
                audio = f.timestamp();
            }
        }
    }
}

package io.tributary.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.media.StreamPath;
import io.tributary.media.stream.StreamException;
import io.tributary.rtmp.client.RtmpPublication;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpStatusException;
import io.tributary.rtmp.command.Status;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RtmpServerRefusalTest {
    private RtmpServerHarness harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new RtmpServerHarness();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void aSecondPublisherGetsBadNameAndTheFirstCarriesOn() throws Exception {
        RtmpPublication first = harness.connect("live").publish("taken").get(5, TimeUnit.SECONDS);
        RecordingListener player = new RecordingListener();
        try (FramePump pump = new FramePump(first, 10, 0).start()) {
            harness.connect("live").play("taken", player).get(5, TimeUnit.SECONDS);
            await().until(() -> player.videoFrames().size() >= 5);

            RtmpSession second = harness.connect("live");
            assertThatThrownBy(() -> second.publish("taken").get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RtmpStatusException.class)
                    .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.PUBLISH_BAD_NAME);
            second.closeFuture().get(5, TimeUnit.SECONDS);

            int seen = player.videoFrames().size();
            await().atMost(Duration.ofSeconds(3)).until(() -> player.videoFrames().size() >= seen + 20);
            assertThat(player.statuses()).doesNotContain(Status.PLAY_UNPUBLISH_NOTIFY);
        }
    }

    @Test
    void aPublishTheNodeRefusesLaterEndsWithBadNameAndAClosedConnection() throws Exception {
        RecordingListener statuses = new RecordingListener();
        RtmpSession session = harness.connect("live");
        session.publish("lost", statuses).get(5, TimeUnit.SECONDS);
        StreamPath path = new StreamPath("live", "lost");
        await().until(() -> harness.registry.find(path).map(s -> s.publisher() != null).orElse(false));

        harness.registry.find(path).orElseThrow().publisher().refuse(new StreamException(
                StreamException.Reason.BUSY, "Another node publishes live/lost."));

        session.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(statuses.statuses()).contains(Status.PUBLISH_START, Status.PUBLISH_BAD_NAME)
                .doesNotContain(Status.UNPUBLISH_SUCCESS);
        await().until(() -> harness.registry.find(path).map(s -> s.publisher() == null).orElse(true));
    }

    @Test
    void playingAnUnknownStreamGetsStreamNotFound() throws Exception {
        RtmpSession session = harness.connect("live");
        assertThatThrownBy(() -> session.play("nobody", new RecordingListener()).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class)
                .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.PLAY_STREAM_NOT_FOUND);
        assertThat(harness.registry.find(new StreamPath("live", "nobody"))).isEmpty();
    }

    @Test
    void connectingToAnUnknownApplicationIsRejected() {
        assertThatThrownBy(() -> harness.client.connect(harness.url("nope"), Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class)
                .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.CONNECT_REJECTED);
    }

    @Test
    void publishingAfterTheStreamWasUnpublishedIsAllowedAgain() throws Exception {
        RtmpSession s = harness.connect("live");
        RtmpPublication p = s.publish("again").get(5, TimeUnit.SECONDS);
        p.unpublish();
        await().until(() -> harness.registry.find(new StreamPath("live", "again")).isEmpty());
        RtmpPublication p2 = harness.connect("live").publish("again").get(5, TimeUnit.SECONDS);
        assertThat(p2.streamId()).isPositive();
        assertThat(harness.registry.find(new StreamPath("live", "again")).orElseThrow().publisher()).isNotNull();
    }
}

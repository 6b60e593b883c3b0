package io.tributary.media.stream;

import static io.tributary.media.stream.StreamFixtures.ENCODER;
import static io.tributary.media.stream.StreamFixtures.PATH;
import static io.tributary.media.stream.StreamFixtures.WAIT;
import static io.tributary.media.stream.StreamFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.StreamFixtures.Feed;
import io.tributary.media.stream.StreamFixtures.Recorder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Publishing, the republish grace, the end of streams and what listeners and viewers see of it. */
class StreamRegistryTest {
    private static final Duration GRACE = Duration.ofMillis(200);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    // Event loops without I/O: subscribers here are not on sockets.
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    private final List<String> disconnects = new CopyOnWriteArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final Feed feed = new Feed();
    private StreamRegistry registry = registry(GRACE);

    private StreamRegistry registry(Duration grace) {
        StreamRegistry r = new StreamRegistry(settings(grace, 1 << 20, Duration.ofSeconds(5), 3), scheduler);
        r.addListener(new StreamListener() {
            @Override
            public void publishStarted(LiveStream stream, Publisher publisher) {
                heard.add("publishStarted " + stream.path() + " from " + publisher.protocol());
            }

            @Override
            public void publishStopped(LiveStream stream, Publisher publisher) {
                heard.add("publishStopped " + stream.path());
            }

            @Override
            public void streamEnded(LiveStream stream) {
                heard.add("streamEnded " + stream.path());
            }
        });
        return r;
    }

    @AfterEach
    void tearDown() {
        registry.endAll("test over");
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        scheduler.shutdownNow();
    }

    private Publisher publish() {
        return registry.publish(PATH, "rtmp", ENCODER, disconnects::add);
    }

    @Test
    void aSecondPublisherIsBusyAndTheFirstIsUntouched() {
        Publisher first = publish();
        Recorder r = new Recorder(loops.next()).subscribeTo(first.stream());

        assertThatThrownBy(() -> registry.publish(PATH, "rtmp", new InetSocketAddress("127.0.0.1", 4000),
                disconnects::add))
                .isInstanceOfSatisfying(StreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(StreamException.Reason.BUSY));

        first.send(feed.key(0));
        r.awaitFrames(1);
        assertThat(first.stream().publisher()).isSameAs(first);
        assertThat(first.isClosed()).isFalse();
        assertThat(disconnects).isEmpty();
        assertThat(r.events()).isEmpty();
        assertThat(heard).containsExactly("publishStarted live/test from rtmp");
    }

    @Test
    void unpublishingWithViewersWaitsForTheGraceThenEnds() {
        Publisher p = publish();
        LiveStream stream = p.stream();
        Recorder r = new Recorder(loops.next()).subscribeTo(stream);
        p.send(feed.key(0));
        r.awaitFrames(1);
        long closedAt = System.nanoTime();

        p.close();

        r.awaitEvent(StreamEvent.PUBLISHER_LEFT);
        r.awaitEvent(StreamEvent.ENDED);
        long waitedMs = (System.nanoTime() - closedAt) / 1_000_000;
        assertThat(waitedMs).as("ended after the grace").isGreaterThanOrEqualTo(GRACE.toMillis());
        assertThat(r.events()).containsExactly(StreamEvent.PUBLISHER_LEFT, StreamEvent.ENDED);
        assertThat(stream.isEnded()).isTrue();
        await().atMost(WAIT).until(() -> heard.size() == 3);
        assertThat(registry.find(PATH)).isEmpty();
        assertThat(heard).containsExactly("publishStarted live/test from rtmp", "publishStopped live/test",
                "streamEnded live/test");
        assertThat(disconnects).as("a publisher that left is not disconnected again").isEmpty();
        feed.awaitAllReleased();
    }

    @Test
    void republishingWithinTheGraceKeepsTheStreamAndItsSubscribers() {
        registry = registry(Duration.ofMillis(500));
        Publisher first = publish();
        LiveStream stream = first.stream();
        Recorder r = new Recorder(loops.next()).subscribeTo(stream);
        first.send(feed.key(0));
        first.close();

        Publisher second = publish();
        second.send(feed.key(0));
        second.send(feed.inter(40));

        assertThat(second.stream()).isSameAs(stream);
        assertThat(registry.find(PATH)).containsSame(stream);
        r.awaitFrames(3);
        assertThat(r.events()).containsExactly(StreamEvent.PUBLISHER_LEFT, StreamEvent.PUBLISHER_RETURNED);
        await().during(Duration.ofMillis(1_000)).atMost(Duration.ofSeconds(3)).until(() -> !stream.isEnded());
        assertThat(r.events()).doesNotContain(StreamEvent.ENDED);
        assertThat(stream.subscriberCount()).isEqualTo(1);
        assertThat(heard).containsExactly("publishStarted live/test from rtmp", "publishStopped live/test",
                "publishStarted live/test from rtmp");
    }

    /** PUBLISHER_LEFT was announced, so the return must be too, whether or not the first publisher sent media. */
    @Test
    void aPublisherReturningAfterOneThatSentNothingIsAnnounced() {
        registry = registry(Duration.ofSeconds(30));
        Publisher first = publish();
        LiveStream stream = first.stream();
        Recorder r = new Recorder(loops.next()).subscribeTo(stream);
        first.close(); // the encoder connected and gave up before its first frame

        Publisher second = publish();
        second.send(feed.key(0));
        r.awaitFrames(1);

        assertThat(r.events()).containsExactly(StreamEvent.PUBLISHER_LEFT, StreamEvent.PUBLISHER_RETURNED);
    }

    @Test
    void unpublishingWithNobodyWatchingEndsAtOnce() {
        Publisher p = publish();
        LiveStream stream = p.stream();
        p.send(feed.videoConfig(0));
        p.send(feed.key(0));

        p.close();

        assertThat(stream.isEnded()).isTrue();
        assertThat(registry.find(PATH)).isEmpty();
        assertThat(heard).containsExactly("publishStarted live/test from rtmp", "publishStopped live/test",
                "streamEnded live/test");
        feed.assertAllReleased();
    }

    @Test
    void theLastSubscriberLeavingDuringTheGraceEndsTheStream() {
        registry = registry(Duration.ofSeconds(30));
        Publisher p = publish();
        LiveStream stream = p.stream();
        Recorder one = new Recorder(loops.next()).subscribeTo(stream);
        Recorder two = new Recorder(loops.next()).subscribeTo(stream);
        p.send(feed.key(0));
        p.close();

        one.subscription.cancel();
        assertThat(stream.isEnded()).isFalse();
        two.subscription.cancel();

        assertThat(stream.isEnded()).isTrue();
        assertThat(registry.find(PATH)).isEmpty();
        assertThat(heard).endsWith("publishStopped live/test", "streamEnded live/test");
        feed.awaitAllReleased();
    }

    @Test
    void aNewPublishAfterTheEndStartsAFreshStreamAtZero() {
        Publisher first = publish();
        LiveStream old = first.stream();
        first.send(feed.key(5_000));
        first.close();

        Publisher second = publish();
        Recorder r = new Recorder(loops.next()).subscribeTo(second.stream());
        second.send(feed.key(9_000));
        r.awaitFrames(1);

        assertThat(second.stream()).isNotSameAs(old);
        assertThat(r.dts()).containsExactly(0L);
        assertThat(r.events()).isEmpty();
    }

    @Test
    void endAllDisconnectsEveryPublisherWithTheReasonAndEndsEveryStream() {
        Publisher a = publish();
        Publisher b = registry.publish(new StreamPath("live", "other"), "rtmp", ENCODER,
                reason -> disconnects.add("other: " + reason));
        Recorder r = new Recorder(loops.next()).subscribeTo(a.stream());
        a.send(feed.videoConfig(0));
        a.send(feed.key(0));
        b.send(feed.key(0));

        registry.endAll("node shutting down");

        assertThat(disconnects).containsExactlyInAnyOrder("node shutting down", "other: node shutting down");
        assertThat(registry.streams()).isEmpty();
        assertThat(a.stream().isEnded()).isTrue();
        assertThat(b.stream().isEnded()).isTrue();
        assertThat(heard).filteredOn(h -> h.startsWith("publishStopped")).hasSize(2);
        assertThat(heard).filteredOn(h -> h.startsWith("streamEnded")).hasSize(2);
        r.awaitEvent(StreamEvent.ENDED);
        assertThat(r.events()).containsExactly(StreamEvent.ENDED);
        feed.awaitAllReleased();
    }

    @Test
    void viewerCountsFollowSubscribersByProtocolAndIgnoreRelays() {
        Publisher p = publish();
        LiveStream stream = p.stream();

        Recorder rtmp1 = new Recorder(loops.next(), "rtmp", true).subscribeTo(stream);
        Recorder rtmp2 = new Recorder(loops.next(), "rtmp", true).subscribeTo(stream);
        Recorder flv = new Recorder(loops.next(), "flv", true).subscribeTo(stream);
        Recorder relay = new Recorder(loops.next(), "relay", false).subscribeTo(stream);

        assertThat(stream.viewers("rtmp")).isEqualTo(2);
        assertThat(stream.viewers("flv")).isEqualTo(1);
        assertThat(stream.viewers("relay")).isZero();
        assertThat(stream.viewers("hls")).isZero();
        assertThat(stream.totalViewers()).isEqualTo(3);
        assertThat(stream.subscriberCount()).isEqualTo(4);

        rtmp1.subscription.cancel();
        rtmp1.subscription.cancel(); // twice: counted once
        relay.subscription.cancel();

        assertThat(stream.viewers("rtmp")).isEqualTo(1);
        assertThat(stream.totalViewers()).isEqualTo(2);
        assertThat(stream.subscriberCount()).isEqualTo(2);

        rtmp2.subscription.cancel();
        flv.subscription.cancel();
        assertThat(stream.totalViewers()).isZero();
        assertThat(stream.subscriberCount()).isZero();
        assertThat(stream.isEnded()).as("a live stream does not end when its viewers leave").isFalse();
    }

    @Test
    void aPublisherCountsWhatItReceives() {
        Publisher p = publish();

        p.send(feed.key(0));
        p.send(feed.inter(40));

        assertThat(p.bytesReceived()).isEqualTo(2 * (5 + 32));
        assertThat(p.protocol()).isEqualTo("rtmp");
        assertThat(p.remote()).isEqualTo(ENCODER);
        assertThat(p.startedAtMillis()).isLessThanOrEqualTo(System.currentTimeMillis());
    }
}

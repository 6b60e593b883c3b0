package io.tributary.media.stream;

import static io.tributary.media.stream.StreamFixtures.ENCODER;
import static io.tributary.media.stream.StreamFixtures.PATH;
import static io.tributary.media.stream.StreamFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.tributary.media.stream.StreamFixtures.Feed;
import io.tributary.media.stream.StreamFixtures.Recorder;
import io.tributary.media.stream.StreamFixtures.Seen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How frames cross to the subscribers' event loops: one task per loop for a whole batch, one flush per
 * subscriber per batch, in order with events and membership changes. A loop is held on a gate so that
 * a batch builds up deterministically.
 */
class FanoutGroupTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final StreamRegistry registry = new StreamRegistry(
            settings(Duration.ofSeconds(30), 1 << 20, Duration.ofSeconds(5), 3), scheduler);
    private final Feed feed = new Feed();
    private final List<CountingLoop> loops = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private Publisher publisher;

    /** An event loop that counts the fan-out tasks handed to it. */
    static final class CountingLoop extends DefaultEventLoop {
        final AtomicInteger fanoutTasks = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            if (task instanceof FanoutGroup) {
                fanoutTasks.incrementAndGet();
            }
            super.execute(task);
        }
    }

    @AfterEach
    void tearDown() {
        gate.countDown();
        registry.endAll("test over");
        for (CountingLoop loop : loops) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        scheduler.shutdownNow();
    }

    @Test
    void aBatchOfFramesCostsOneTaskPerEventLoopAndOneFlushPerSubscriber() throws Exception {
        publisher = registry.publish(PATH, "rtmp", ENCODER, r -> { });
        CountingLoop a = loop();
        CountingLoop b = loop();
        List<Recorder> recorders = List.of(new Recorder(a), new Recorder(a), new Recorder(a), new Recorder(b),
                new Recorder(b));
        recorders.forEach(r -> r.subscribeTo(publisher.stream()));
        recorders.forEach(Recorder::awaitStarted);
        hold(a);
        hold(b);
        int tasksOnA = a.fanoutTasks.get();
        int tasksOnB = b.fanoutTasks.get();
        Map<Recorder, Integer> flushes = new IdentityHashMap<>();
        recorders.forEach(r -> flushes.put(r, r.flushes()));

        for (int i = 0; i < 50; i++) {
            publisher.send(i % 10 == 0 ? feed.key(i * 40L) : feed.inter(i * 40L));
        }
        assertThat(a.fanoutTasks.get() - tasksOnA).as("tasks handed to loop a").isEqualTo(1);
        assertThat(b.fanoutTasks.get() - tasksOnB).as("tasks handed to loop b").isEqualTo(1);
        gate.countDown();

        for (Recorder r : recorders) {
            r.awaitFrames(50);
            assertThat(r.codedSeqs()).isEqualTo(IntStream.range(0, 50).boxed().toList());
        }
        drain(a);
        drain(b);
        for (Recorder r : recorders) {
            assertThat(r.flushes() - flushes.get(r)).as("flushes for the batch").isEqualTo(1);
        }
        publisher.stream().end("test over");
        feed.awaitAllReleased();
    }

    @Test
    void eventsArriveInOrderWithFramesAfterTheFramesBeforeThemAreFlushed() throws Exception {
        publisher = registry.publish(PATH, "rtmp", ENCODER, r -> { });
        CountingLoop a = loop();
        Recorder r = new Recorder(a).subscribeTo(publisher.stream());
        r.awaitStarted();
        hold(a);
        int flushesBefore = r.flushes();

        publisher.send(feed.key(0));
        publisher.send(feed.inter(40));
        publisher.close();
        gate.countDown();
        r.awaitEvent(StreamEvent.PUBLISHER_LEFT);

        List<Object> timeline = r.timeline();
        assertThat(timeline.subList(timeline.size() - 3, timeline.size()))
                .extracting(o -> o instanceof Seen s ? "#" + s.seq() : o.toString())
                .containsExactly("#0", "#1", "PUBLISHER_LEFT");
        drain(a);
        assertThat(r.flushes() - flushesBefore).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aSubscriberCancelledBeforeItsStartIsNeverStartedAndItsSnapshotIsReleased() throws Exception {
        publisher = registry.publish(PATH, "rtmp", ENCODER, r -> { });
        publisher.send(feed.videoConfig(0));
        publisher.send(feed.key(0));
        CountingLoop a = loop();
        hold(a);

        Recorder r = new Recorder(a).subscribeTo(publisher.stream());
        r.subscription.cancel();
        publisher.send(feed.inter(40));
        gate.countDown();
        drain(a);

        assertThat(r.timeline()).isEmpty();
        assertThat(feed.bodies()).as("held by the stream's caches alone").allMatch(b -> b.refCnt() == 1);
    }

    /** Subscription: "cancelling it stops delivery". A subscriber may cancel from its own callback. */
    @Test
    void aSubscriberThatCancelsGetsNoFurtherFrames() throws Exception {
        publisher = registry.publish(PATH, "rtmp", ENCODER, r -> { });
        CountingLoop a = loop();
        Recorder quitter = new Recorder(a).subscribeTo(publisher.stream());
        Recorder stayer = new Recorder(a).subscribeTo(publisher.stream());
        quitter.onFrame = f -> {
            if (f.data().getInt(0) == 3) {
                quitter.subscription.cancel();
            }
        };
        quitter.awaitStarted();
        stayer.awaitStarted();
        hold(a);

        for (int i = 0; i < 10; i++) {
            publisher.send(i == 0 ? feed.key(0) : feed.inter(i * 40L));
        }
        gate.countDown();
        stayer.awaitFrames(10);
        drain(a);

        assertThat(quitter.codedSeqs()).as("frames after cancel()").containsExactly(0, 1, 2, 3);
        publisher.stream().end("test over");
        feed.awaitAllReleased();
    }

    /** A subscriber whose event loop is already shut down must not keep the snapshot it was given. */
    @Test
    void subscribingOnAShutDownLoopLeaksNothing() {
        publisher = registry.publish(PATH, "rtmp", ENCODER, r -> { });
        LiveStream stream = publisher.stream();
        publisher.send(feed.videoConfig(0));
        publisher.send(feed.key(0));
        publisher.send(feed.inter(40));
        DefaultEventLoop dead = new DefaultEventLoop();
        dead.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();

        stream.subscribe(new Recorder(dead));
        stream.end("test over");

        feed.assertAllReleased();
    }

    private CountingLoop loop() {
        CountingLoop loop = new CountingLoop();
        loops.add(loop);
        return loop;
    }

    /** Occupies the loop until the gate opens; returns once the loop is held. */
    private void hold(EventExecutor loop) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).as("loop held").isTrue();
    }

    /** Waits until everything queued on the loop so far has run. */
    private static void drain(EventExecutor loop) throws Exception {
        loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }
}

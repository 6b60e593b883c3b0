package io.tributary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.bench.publish.FrameLog;
import io.tributary.bench.publish.MarkedPublisher;
import io.tributary.bench.publish.PublishLog;
import io.tributary.bench.publish.TestFlvFiles;
import io.tributary.server.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real node in this JVM: what a user of the benchmark relies on. */
class LoadGeneratorSmokeTest {
    private static final int PLAYERS = 24;
    private static final Duration START = Duration.ofSeconds(15);
    private static final String HOST = "127.0.0.1";

    @TempDir
    static Path dir;
    static Path file;

    @BeforeAll
    static void makeTestFile() {
        file = TestFlvFiles.h264Aac(dir, 4);
    }

    @Test
    void rtmpAndFlvPlayersGetEveryByteOfTheWindowInTime() throws Exception {
        try (TestNode node = TestNode.start();
             MarkedPublisher publisher = MarkedPublisher.start(node.rtmpUrl("live", "smoke"), file)) {
            PublishLog log = publisher.log();
            await().atMost(Duration.ofSeconds(10)).until(() -> log.nextSeq() > 0);
            try (LoadGenerator rtmp = LoadGenerator.start(spec("rtmp", node.node().rtmpPort(), "smoke", 1), log);
                 LoadGenerator flv = LoadGenerator.start(spec("flv", node.node().httpPort(), "smoke", 2), log);
                 LoadGenerator pacedRtmp = LoadGenerator.start(spec("rtmp", node.node().rtmpPort(), "smoke", 1), log,
                         Duration.ofMillis(20))) {
                assertThat(rtmp.awaitPlaying(START)).isEqualTo(PLAYERS);
                assertThat(flv.awaitPlaying(START)).isEqualTo(PLAYERS);
                assertThat(pacedRtmp.awaitPlaying(START)).isEqualTo(PLAYERS);

                rtmp.startWindow();
                flv.startWindow();
                pacedRtmp.startWindow();
                long from = log.nextSeq();
                await().atMost(Duration.ofSeconds(10)).until(() -> log.nextSeq() >= from + 75); // 3 s at 25 fps
                Duration settle = Duration.ofMillis(log.gopMillis());
                LevelResult rtmpLevel = rtmp.endWindow(settle);
                LevelResult flvLevel = flv.endWindow(settle);
                LevelResult pacedLevel = pacedRtmp.endWindow(settle);

                assertEveryPlayerGotTheWindow(rtmp, rtmpLevel, log);
                assertEveryPlayerGotTheWindow(flv, flvLevel, log);
                assertEveryPlayerGotTheWindow(pacedRtmp, pacedLevel, log);
                assertThat(publisher.isPublishing()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ts", "llhls"})
    void hlsPlayersFetchEverySegmentOrPartOfTheWindowWithItsMarkedFrames(String mode) throws Exception {
        try (TestNode node = TestNode.builder().set("hls.mode", mode).set("hls.segmentDuration", "1s").start();
             MarkedPublisher publisher = MarkedPublisher.start(node.rtmpUrl("live", "smoke"), file)) {
            PublishLog log = publisher.log();
            await().atMost(Duration.ofSeconds(10)).until(() -> log.nextSeq() > 0);
            LoadSpec spec = new LoadSpec("hls", HOST, node.node().httpPort(), "live", "smoke", 6, 1, 50);
            try (HlsPlayers hls = HlsPlayers.start(spec)) {
                assertThat(hls.awaitPlaying(START)).isEqualTo(6);
                hls.startWindow();
                long from = log.nextSeq();
                await().atMost(Duration.ofSeconds(15)).until(() -> log.nextSeq() >= from + 150); // 6 s at 25 fps
                LevelResult level = hls.endWindow(Duration.ofSeconds(3));

                assertThat(level.failed()).as(level.firstError()).isZero();
                assertThat(level.connected()).isEqualTo(6);
                assertThat(level.ttffMicros().getTotalCount()).isEqualTo(6);
                assertThat(level.minDeliveredRatio()).as("share of the window's segments every player fetched")
                        .isGreaterThanOrEqualTo(0.99);
                assertThat(level.latencyMicros().getTotalCount()).as("marked frames read from the segments")
                        .isGreaterThanOrEqualTo(6 * 100);
                assertThat(level.bytesReceived()).isGreaterThan(6 * 100_000L);
                // Segments arrive after they are complete; LL-HLS parts a few hundred milliseconds after their frames.
                long p50 = level.latencyMicros().getValueAtPercentile(50) / 1000;
                assertThat(p50).as("median frame latency, ms").isBetween(mode.equals("ts") ? 300L : 10L,
                        mode.equals("ts") ? 8_000L : 1_500L);
            }
        }
    }

    @Test
    void playersOfAStreamNobodyPublishesFailWithTheServersAnswer() throws Exception {
        FrameLog nothing = new FrameLog(1000, 0);
        try (TestNode node = TestNode.start();
             LoadGenerator rtmp = LoadGenerator.start(spec("rtmp", node.node().rtmpPort(), "missing", 1), nothing);
             LoadGenerator flv = LoadGenerator.start(spec("flv", node.node().httpPort(), "missing", 2), nothing)) {
            assertThat(rtmp.awaitPlaying(START)).isZero();
            assertThat(flv.awaitPlaying(START)).isZero();
            rtmp.startWindow();
            flv.startWindow();

            LevelResult rtmpLevel = rtmp.endWindow(Duration.ZERO);
            LevelResult flvLevel = flv.endWindow(Duration.ZERO);

            assertThat(rtmpLevel.failed()).isEqualTo(PLAYERS);
            assertThat(rtmpLevel.firstError()).contains("NetStream.Play.StreamNotFound");
            assertThat(rtmpLevel.passed(1000)).isFalse();
            assertThat(flvLevel.failed()).isEqualTo(PLAYERS);
            assertThat(flvLevel.firstError()).contains("HTTP 404");
            assertThat(flvLevel.passed(1000)).isFalse();
            assertThat(rtmp.players()).allSatisfy(p -> assertThat(p.error()).startsWith("NetStream.Play.StreamNotFound"));
            assertThat(flv.players()).allSatisfy(p -> assertThat(p.error()).startsWith("HTTP 404"));
            assertThat(rtmp.playing()).isZero();
            assertThat(flv.playing()).isZero();
        }
    }

    private static void assertEveryPlayerGotTheWindow(LoadGenerator generator, LevelResult level, PublishLog log)
            throws InterruptedException {
        long frames = generator.windowEndSeq() - generator.windowFirstSeq();
        long bytes = log.bytesBetween(generator.windowFirstSeq(), generator.windowEndSeq());
        assertThat(frames).isGreaterThanOrEqualTo(75);
        assertThat(generator.players()).allSatisfy(p -> {
            assertThat(p.error()).isNull();
            assertThat(p.playing()).isTrue();
            assertThat(p.startedOnKeyframe()).as("player %d started on a keyframe", p.index()).isTrue();
        });
        assertThat(level.players()).isEqualTo(PLAYERS);
        assertThat(level.connected()).isEqualTo(PLAYERS);
        assertThat(level.failed()).isZero();
        assertThat(level.firstError()).isNull();
        assertThat(level.ttffMicros().getTotalCount()).isEqualTo(PLAYERS);
        assertThat(level.minDeliveredRatio()).isGreaterThanOrEqualTo(0.99);
        assertThat(level.playersBelow99()).isZero();
        assertThat(level.latencyMicros().getTotalCount()).isGreaterThanOrEqualTo((long) (frames * PLAYERS * 0.99));
        assertThat((double) level.bytesReceived()).isCloseTo(bytes * PLAYERS, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(level.maxLagMillis()).isLessThan(log.gopMillis());
        assertThat(level.passed(log.gopMillis())).isTrue();
    }

    private static LoadSpec spec(String protocol, int port, String stream, int eventLoops) {
        return new LoadSpec(protocol, HOST, port, "live", stream, PLAYERS, eventLoops, 200);
    }
}

package io.tributary.bench.publish;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameLogTest {

    @Test
    void audioBelongsToTheVideoFrameSentBeforeIt() {
        FrameLog log = new FrameLog(1000, 600_000);
        log.audioFrame(7); // before any video: belongs to no frame
        log.videoFrame(100, 1000, true);
        log.audioFrame(10);
        log.videoFrame(200, 500, false);
        log.audioFrame(20);
        log.audioFrame(30);
        log.videoFrame(300, 400, true);

        assertThat(log.nextSeq()).isEqualTo(3);
        assertThat(log.bytesBetween(0, 1)).isEqualTo(1010);
        assertThat(log.bytesBetween(1, 2)).isEqualTo(550);
        assertThat(log.bytesBetween(0, 2)).isEqualTo(1560);
        assertThat(log.bytesBetween(0, 3)).isEqualTo(1960); // frame 2 and, so far, no audio after it
        assertThat(log.keyframesBetween(0, 2)).isEqualTo(1);
        assertThat(log.keyframesBetween(0, 3)).isEqualTo(2);
        assertThat(log.keyframesBetween(1, 3)).isEqualTo(1);
        assertThat(log.totalBytes()).isEqualTo(1967);
    }

    @Test
    void theLastFramesBytesGrowUntilTheNextFrameIsSent() {
        FrameLog log = new FrameLog(1000, 600_000);
        log.videoFrame(100, 1000, true);
        log.audioFrame(10);

        assertThat(log.bytesBetween(0, 1)).isEqualTo(1010);
        log.audioFrame(10);
        assertThat(log.bytesBetween(0, 1)).isEqualTo(1020);
        log.videoFrame(200, 1, false);
        log.audioFrame(10);
        assertThat(log.bytesBetween(0, 1)).isEqualTo(1020);
    }

    @Test
    void sendTimesAreKeptForEveryFrameAsTheLogGrows() {
        FrameLog log = new FrameLog(1000, 600_000);
        for (int i = 0; i < 20_000; i++) {
            log.videoFrame(1_000_000L + i, 100, i % 25 == 0);
        }

        assertThat(log.sentNanos(0)).isEqualTo(1_000_000L);
        assertThat(log.sentNanos(19_999)).isEqualTo(1_019_999L);
        assertThat(log.sentNanos(20_000)).isEqualTo(-1);
        assertThat(log.bytesBetween(100, 200)).isEqualTo(100 * 100);
        assertThat(log.keyframesBetween(0, 20_000)).isEqualTo(800);
    }
}

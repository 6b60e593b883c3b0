package io.tributary.media.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Time is passed in, so these tests move it instead of waiting. */
class RateMeterTest {
    private static final long T0 = 1_700_000_000_000L;

    private final RateMeter meter = new RateMeter();

    @Test
    void averagesBitsPerSecondOverTheLastFiveWholeSeconds() {
        for (int s = 0; s < 5; s++) {
            meter.add(600, T0 + s * 1_000L + 100);
            meter.add(400, T0 + s * 1_000L + 900);
        }

        assertThat(meter.bitsPerSecond(T0 + 5_000)).isEqualTo(8_000);
        assertThat(meter.total()).isEqualTo(5_000);
    }

    @Test
    void theSecondInProgressDoesNotCountYet() {
        for (int s = 0; s < 5; s++) {
            meter.add(1_000, T0 + s * 1_000L);
        }

        meter.add(50_000, T0 + 5_500);

        assertThat(meter.bitsPerSecond(T0 + 5_999)).isEqualTo(8_000);
        assertThat(meter.bitsPerSecond(T0 + 6_000)).as("now it is a whole second").isEqualTo(86_400);
    }

    @Test
    void oldSecondsAgeOutOfTheWindow() {
        for (int s = 0; s < 5; s++) {
            meter.add(1_000, T0 + s * 1_000L);
        }

        assertThat(meter.bitsPerSecond(T0 + 6_000)).as("seconds 1-5").isEqualTo(6_400);
        assertThat(meter.bitsPerSecond(T0 + 8_000)).as("seconds 3-7").isEqualTo(3_200);
        assertThat(meter.bitsPerSecond(T0 + 10_000)).as("all aged out").isZero();
        assertThat(meter.total()).as("the total is forever").isEqualTo(5_000);
    }

    @Test
    void afterALongSilenceOnlyNewBytesCount() {
        meter.add(1_000_000, T0);

        meter.add(1_000, T0 + 3_600_000);

        assertThat(meter.bitsPerSecond(T0 + 3_601_000)).isEqualTo(1_600);
    }

    @Test
    void anIdleMeterReadsZero() {
        assertThat(meter.bitsPerSecond(T0)).isZero();
        assertThat(meter.total()).isZero();
    }

    @Test
    void aClockStepBackDoesNotLoseBytes() {
        meter.add(1_000, T0 + 3_000);

        meter.add(1_000, T0 + 2_000);

        assertThat(meter.total()).isEqualTo(2_000);
        assertThat(meter.bitsPerSecond(T0 + 4_000)).isEqualTo(3_200);
    }
}

package io.tributary.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500", "5s, 5000", "2m, 120000", "1h, 3600000", "0s, 0", "' 20s ', 20000", "1500 ms, 1500"})
    void readsNumbersWithUnits(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "0", "500"})
    void aBareNumberAsksForAUnit(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("write a unit, e.g. 5s or 500ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "5 sec", "-5s", "1.5s", "5d", "PT5S", "99999999999999999h"})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessage("expected a duration such as 500ms, 5s, 2m or 1h");
    }

    @ParameterizedTest
    @CsvSource({"500, 500ms", "1500, 1500ms", "5000, 5s", "120000, 2m", "90000, 90s", "7200000, 2h", "0, 0s"})
    void writesTheShortestSpellingThatReadsBack(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }
}

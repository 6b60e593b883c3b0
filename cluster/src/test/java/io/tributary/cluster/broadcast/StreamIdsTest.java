package io.tributary.cluster.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo", "a_b-c.d", "stream1", "A", "9", "...", ".hidden", "live.", "-_-"})
    void accepts(String id) {
        assertThat(StreamIds.isValid(id)).isTrue();
    }

    @Test
    void accepts128CharactersAndRefuses129() {
        assertThat(StreamIds.isValid("x".repeat(128))).isTrue();
        assertThat(StreamIds.isValid("x".repeat(129))).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {".", "..", "a/b", "/", "a b", " a", "ü", "é1", "%2e", "a%20b", "a\\b", "a?b", "a#b",
            "a:b", "a\u0000b", "a\nb", "stream+1"})
    void refuses(String id) {
        assertThat(StreamIds.isValid(id)).isFalse();
    }

    @Test
    void requireValidNamesWhatWasWrong() {
        assertThatThrownBy(() -> StreamIds.requireValid("a/b", "stream id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid stream id 'a/b'");
        assertThat(StreamIds.requireValid("demo", "stream id")).isEqualTo("demo");
    }
}

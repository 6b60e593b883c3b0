package io.tributary.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({
        "65536, 65536", "0, 0", "10B, 10",
        "64KiB, 65536", "8MiB, 8388608", "1GiB, 1073741824", "2TiB, 2199023255552",
        "64KB, 64000", "2MB, 2000000", "1GB, 1000000000",
        "8mib, 8388608", "' 1 MiB ', 1048576"})
    void readsBytesAndUnits(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "8M", "8 megabytes", "-1", "1.5MiB", "8Mb/s"})
    void rejectsWhatIsNotASize(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).hasMessage("expected a size such as 65536, 64KiB, 8MiB or 1GiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999TiB", "999999999999999999GB"})
    void rejectsSizesThatOverflow(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).hasMessage("size is too large");
    }

    @ParameterizedTest
    @CsvSource({"8388608, 8MiB", "1048576, 1MiB", "65536, 64KiB", "1536, 1536", "2000000, 2MB", "100, 100", "0, 0"})
    void writesTheLargestWholeUnit(long bytes, String text) {
        assertThat(Sizes.format(bytes)).isEqualTo(text);
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }
}

package io.tributary.bench.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlvFileTest {

    @Test
    void aFileFromFfmpegIsReadyToLoop(@TempDir Path dir) throws IOException {
        FlvFile file = FlvFile.read(TestFlvFiles.h264Aac(dir, 4));

        assertThat(file.metadata()).isNotNull();
        assertThat(file.metadata().number("width")).isEqualTo(320.0);
        assertThat(file.videoConfig().byteAt(0)).isEqualTo(0x17);
        assertThat(file.videoConfig().byteAt(1)).isZero();
        assertThat(file.audioConfig().byteAt(0) >> 4).isEqualTo(10);
        assertThat(file.audioConfig().byteAt(1)).isZero();
        assertThat(file.media().stream().filter(FlvFile.Tag::isAvcCoded)).hasSize(100);
        assertThat(file.media().stream().filter(FlvFile.Tag::isKeyframe)).hasSize(4);
        assertThat(file.media().get(0).isKeyframe() || file.media().get(0).isAudio()).isTrue();
        assertThat(file.frameIntervalMillis()).isEqualTo(40);
        assertThat(file.gopMillis()).isEqualTo(1000);
        assertThat(file.durationMillis()).isBetween(3900L, 4200L); // the audio may run a little past the video
        assertThat(file.loopMillis()).isEqualTo(file.durationMillis() + 40);
        assertThat(file.bitsPerSecond()).isBetween(250_000L, 450_000L);
    }

    @Test
    void aFileWithoutH264CannotBeMarked(@TempDir Path dir) {
        Path audioOnly = dir.resolve("audio.flv");
        TestFlvFiles.run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi",
                "-i", "sine", "-c:a", "aac", "-t", "1", "-f", "flv", audioOnly.toString()));

        assertThatThrownBy(() -> FlvFile.read(audioOnly)).isInstanceOf(IOException.class)
                .hasMessageContaining("has no H.264 video");
    }

    @Test
    void somethingElseIsNoFlvFile(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("x.flv"), "hello, world");

        assertThatThrownBy(() -> FlvFile.read(text)).isInstanceOf(IOException.class).hasMessageContaining("not an FLV file");
    }
}

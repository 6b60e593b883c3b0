package io.tributary.hls.ts;

import static io.tributary.hls.ts.TsSegments.adtsFrames;
import static io.tributary.hls.ts.TsSegments.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.hls.ts.TsDemux.Packet;
import io.tributary.hls.ts.TsDemux.Pes;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.flv.FlvFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AAC frames in the audio PES: how they are framed, gathered and timed. */
class TsMuxerAudioTest {

    @TempDir
    static Path dir;
    private static FlvFile flv;

    @BeforeAll
    static void makeTheTestStream() throws IOException {
        flv = FlvFile.read(Ffmpeg.testStream(dir));
    }

    @Test
    void everyAacFrameGoesOutBehindAnAdtsHeaderThatMatchesIt() {
        TsDemux ts = TsDemux.of(TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), flv.frames()));

        List<Frame> frames = flv.audioFrames();
        List<Pes> audio = ts.pes(TsMuxer.AUDIO_PID);
        int next = 0;
        for (Pes pes : audio) {
            List<byte[]> adts = adtsFrames(pes.data(), flv.audio());
            assertThat(pes.pts()).as("PTS of the PES: that of its first frame").isEqualTo(frames.get(next).pts() * 90);
            assertThat(pes.dts()).as("no DTS for audio").isEqualTo(-1);
            assertThat(pes.streamId()).isEqualTo(0xC0);
            assertThat(pes.declaredLength()).isEqualTo(pes.actualLength());
            for (byte[] raw : adts) {
                assertThat(hex(raw)).as("AAC frame %d", next).isEqualTo(hex(ByteBufUtil.getBytes(frames.get(next)
                        .data())));
                next++;
            }
        }
        assertThat(next).as("AAC frames written").isEqualTo(frames.size());
    }

    @Test
    void audioIsHeldAcrossPicturesUntilItsPesIsFull() {
        TsMuxer muxer = new TsMuxer(flv.video(), flv.audio());
        List<Frame> audio = flv.audioFrames();
        Frame picture = flv.videoFrames().stream().filter(f -> f.dts() > audio.get(1).dts()).findFirst().orElseThrow();
        ByteBuf out = Unpooled.buffer();

        muxer.write(audio.get(0), out);
        muxer.write(audio.get(1), out);
        assertThat(out.readableBytes()).as("two AAC frames are held").isZero();

        muxer.write(picture, out);
        muxer.write(audio.get(2), out);
        assertThat(runs(TsDemux.of(ByteBufUtil.getBytes(out)).packets())).as("the picture goes; the audio waits")
                .containsExactly(TsMuxer.VIDEO_PID);

        muxer.flush(out);
        TsDemux ts = TsDemux.of(ByteBufUtil.getBytes(out));
        assertThat(ts.pes(TsMuxer.AUDIO_PID)).extracting(pes -> adtsFrames(pes.data(), flv.audio()).size())
                .containsExactly(3);
        assertThat(ts.pes(TsMuxer.AUDIO_PID).get(0).pts()).isEqualTo(audio.get(0).pts() * 90);
        assertThat(ts.packets().get(ts.packets().size() - 1).pid()).isEqualTo(TsMuxer.AUDIO_PID);
    }

    @Test
    void anAudioOnlyStreamCarriesAtMost100msPerPesWithThePcrOnTheAudio() {
        List<Frame> frames = flv.audioFrames();

        TsDemux ts = TsDemux.of(TsSegments.segment(new TsMuxer(null, flv.audio()), frames));

        List<Pes> audio = ts.pes(TsMuxer.AUDIO_PID);
        assertThat(audio).extracting(pes -> adtsFrames(pes.data(), flv.audio()).size()).as("frames per PES at 44.1 kHz")
                .containsOnly(4).hasSize(frames.size() / 4);
        long previous = -1;
        for (Pes pes : audio) {
            assertThat(pes.pcr()).isBetween(pes.pts() - TsMuxer.PCR_DELAY_90K, pes.pts());
            assertThat(pes.randomAccess()).isTrue();
            if (previous >= 0) {
                assertThat(pes.pcr() - previous).as("PCR interval").isBetween(0L, 9000L);
            }
            previous = pes.pcr();
        }
        assertThat(ts.packets()).extracting(Packet::pid).containsOnly(0, TsMuxer.PMT_PID, TsMuxer.AUDIO_PID);
    }

    @Test
    void aNewAudioConfigurationDescribesTheFramesAfterIt() {
        AacConfig stereo48k = new AacConfig(2, 3, 48000, 2, 2);
        List<Frame> frames = flv.audioFrames();
        TsMuxer muxer = new TsMuxer(null, flv.audio());
        ByteBuf out = Unpooled.buffer();

        muxer.write(frames.get(0), out);
        muxer.write(frames.get(1), out);
        muxer.updateAudio(stereo48k);
        muxer.write(frames.get(2), out);
        muxer.flush(out);

        List<Pes> audio = TsDemux.of(ByteBufUtil.getBytes(out)).pes(TsMuxer.AUDIO_PID);
        assertThat(adtsFrames(audio.get(0).data(), flv.audio())).hasSize(2);
        assertThat(adtsFrames(audio.get(1).data(), stereo48k)).hasSize(1);
    }

    @Test
    void refusesAnAacFrameTooLongForAdts() {
        TsMuxer muxer = new TsMuxer(flv.video(), flv.audio());
        ByteBuf out = Unpooled.buffer();
        muxer.write(flv.audioFrames().get(0), out);
        ByteBuf body = Unpooled.buffer().writeByte(0xAF).writeByte(1).writeZero(8185);
        Frame tooLong = FlvFrames.audio(100, body);

        assertThatThrownBy(() -> muxer.write(tooLong, out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ADTS carries at most 8184");
        assertThat(out.readableBytes()).as("bytes written").isZero();
    }

    /** The PIDs of consecutive packets, each run of one PID written once. */
    private static List<Integer> runs(List<Packet> packets) {
        List<Integer> runs = new ArrayList<>();
        for (Packet p : packets) {
            if (runs.isEmpty() || runs.get(runs.size() - 1) != p.pid()) {
                runs.add(p.pid());
            }
        }
        return runs;
    }
}

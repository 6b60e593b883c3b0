package io.tributary.hls.fmp4;

import static io.tributary.hls.fmp4.Fmp4Fixtures.ALLOC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netty.buffer.Unpooled;
import io.tributary.hls.fmp4.Mp4Reader.Fragment;
import io.tributary.hls.fmp4.Mp4Reader.Sample;
import io.tributary.hls.fmp4.Mp4Reader.Traf;
import io.tributary.media.Codec;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import io.tributary.media.flv.FlvFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Decode times and durations for timestamps as encoders really send them: whole milliseconds at frame rates
 * and sampling rates that do not divide a second evenly, clocks that drift, frames that go missing.
 */
class Fmp4MuxerTimingTest {
    /** 1280x720 High profile, as ffmpeg's libx264 writes it. */
    private static final String AVC_RECORD = "0164001FFFE1001A6764001FACD9405005BB0110000003001000000303C0F18319600100"
            + "0668EBE3CB22C0FDF8F800";
    private static final AvcConfig AVC = AvcConfig.parse(Unpooled.wrappedBuffer(hex(AVC_RECORD)));
    private static final AacConfig AAC_44K = new AacConfig(2, 4, 44_100, 2, 2);
    private static final long TOLERANCE_TICKS = 44_100 * 5 / 1000;

    @Test
    void videoDecodesAtItsDtsOn90kHzForAnHour() {
        // 29.97 fps stamped in whole milliseconds: 0, 33, 67, 100, ...
        LongUnaryOperator dts = n -> Math.round(n * 1001 / 30.0);
        List<Frame> video = new ArrayList<>();
        for (int n = 0; n < 30 * 3600; n++) {
            video.add(video(dts.applyAsLong(n), n % 60 == 0, n % 3 == 1 ? 67 : 0));
        }
        Fmp4Muxer muxer = new Fmp4Muxer(AVC, null);

        List<Traf> trafs = new ArrayList<>();
        for (int from = 0; from < video.size(); from += 60) {
            List<Frame> part = video.subList(from, from + 60);
            long end = dts.applyAsLong(from + 60);
            trafs.add(fragment(muxer, part, end, List.of(), 0).track(1));
        }

        List<Long> decodeTimes = decodeTimes(trafs);
        for (int i = 0; i < video.size(); i++) {
            assertThat(decodeTimes.get(i)).isEqualTo(video.get(i).dts() * 90);
        }
        Traf last = trafs.get(trafs.size() - 1);
        Sample lastSample = last.samples().get(last.samples().size() - 1);
        assertThat(decodeTimes.get(decodeTimes.size() - 1) + lastSample.duration())
                .as("the stream ends at the end dts given").isEqualTo(dts.applyAsLong(video.size()) * 90);
        assertThat(trafs.get(0).samples().get(1).compositionOffset()).isEqualTo(67 * 90);
        video.forEach(Frame::release);
    }

    @Test
    void aVideoFragmentStartingLateStillPresentsEveryPictureAtItsPts() {
        Fmp4Muxer muxer = new Fmp4Muxer(AVC, null);
        List<Frame> first = List.of(video(0, true, 80), video(40, false, 160), video(80, false, 0));
        List<Frame> second = List.of(video(160, false, 40), video(200, false, 40)); // the frame at 120 was lost

        Traf a = fragment(muxer, first, 120, List.of(), 0).track(1);
        Traf b = fragment(muxer, second, 240, List.of(), 0).track(1);

        assertThat(b.baseDecodeTime()).as("contiguous with the fragment before").isEqualTo(120 * 90);
        assertThat(b.samples()).extracting(Sample::duration).containsExactly(80L * 90, 40L * 90);
        assertThat(b.baseDecodeTime() + b.samples().get(0).compositionOffset()).isEqualTo(200 * 90);
        assertThat(a.baseDecodeTime() + a.samples().get(0).compositionOffset()).isEqualTo(80 * 90);
        release(first, second);
    }

    @Test
    void audioSamplesLast1024TicksWhileTimestampsAgree() {
        // 44.1 kHz AAC stamped in whole milliseconds: 0, 23, 46, 70, 93, ... for ten minutes
        LongUnaryOperator dts = n -> Math.round(n * 1024 * 1000 / 44_100.0);
        List<Frame> audio = audio(25_800, dts);
        Fmp4Muxer muxer = new Fmp4Muxer(null, AAC_44K);

        List<Traf> trafs = muxInParts(muxer, audio, 86, dts);

        assertThat(trafs.stream().flatMap(t -> t.samples().stream()).map(Sample::duration)).containsOnly(1024L);
        assertThat(trafs.get(trafs.size() - 1).baseDecodeTime()).isEqualTo((audio.size() - 86) * 1024L);
        audio.forEach(Frame::release);
    }

    @Test
    void audioIsPulledBackToItsTimestampsWhenTheyDrift() {
        // an encoder whose audio clock runs 0.5 % fast against the clock it stamps with
        LongUnaryOperator dts = n -> Math.round(n * 1024 * 1000 / 44_100.0 / 1.005);
        List<Frame> audio = audio(2_600, dts);
        Fmp4Muxer muxer = new Fmp4Muxer(null, AAC_44K);

        List<Traf> trafs = muxInParts(muxer, audio, 43, dts);

        // a fragment's last sample is never shortened (its successor is not known yet), so at a fragment's
        // first sample the error may have grown by one more frame's drift (0.5 % of 1024 samples)
        long allowed = TOLERANCE_TICKS + 1024 * 5 / 1000 + 1;
        List<Long> decodeTimes = decodeTimes(trafs);
        for (int i = 0; i < audio.size(); i++) {
            long stamped = Math.round(audio.get(i).dts() * 44.1);
            assertThat(decodeTimes.get(i)).as("sample %d", i).isCloseTo(stamped, within(allowed));
        }
        long resyncs = trafs.stream().flatMap(t -> t.samples().stream()).filter(s -> s.duration() != 1024).count();
        assertThat(resyncs).as("about one shortened sample per second of 0.5 % drift against 5 ms")
                .isBetween(50L, 70L);
        audio.forEach(Frame::release);
    }

    @Test
    void anAudioGapIsOneLongSample() {
        LongUnaryOperator dts = n -> Math.round(n * 1024 * 1000 / 44_100.0) + (n >= 20 ? 300 : 0);
        List<Frame> audio = audio(40, dts);
        Fmp4Muxer muxer = new Fmp4Muxer(null, AAC_44K);

        Traf traf = audioFragment(muxer, audio, dts.applyAsLong(40));

        List<Long> decodeTimes = decodeTimes(List.of(traf));
        assertThat(traf.samples().get(19).duration()).isEqualTo(Math.round(dts.applyAsLong(20) * 44.1) - 19 * 1024);
        assertThat(decodeTimes.get(20)).isEqualTo(Math.round(dts.applyAsLong(20) * 44.1));
        assertThat(traf.samples().subList(20, 39)).extracting(Sample::duration).containsOnly(1024L);
        audio.forEach(Frame::release);
    }

    @Test
    void audioCutInsideItsLastFrameKeepsWholeFrames() {
        // a segmenter cutting parts every 333 ms of stream time and giving that time as both tracks' end
        LongUnaryOperator dts = n -> Math.round(n * 1024 * 1000 / 44_100.0);
        List<Frame> audio = audio(431, dts);
        Fmp4Muxer muxer = new Fmp4Muxer(null, AAC_44K);

        List<Traf> trafs = new ArrayList<>();
        for (long cut = 0; cut <= audio.get(430).dts(); cut += 333) {
            long from = cut;
            long to = cut + 333;
            List<Frame> part = audio.stream().filter(f -> f.dts() >= from && f.dts() < to).toList();
            trafs.add(audioFragment(muxer, part, to));
        }

        assertThat(trafs.stream().flatMap(t -> t.samples().stream()).map(Sample::duration)).containsOnly(1024L);
        List<Long> decodeTimes = decodeTimes(trafs);
        assertThat(decodeTimes.get(430)).isEqualTo(430 * 1024L);
        audio.forEach(Frame::release);
    }

    @Test
    void anAudioGapBetweenFragmentsStretchesTheLastSampleBeforeIt() {
        LongUnaryOperator dts = n -> Math.round(n * 1024 * 1000 / 44_100.0) + (n >= 10 ? 500 : 0);
        List<Frame> audio = audio(20, dts);
        Fmp4Muxer muxer = new Fmp4Muxer(null, AAC_44K);

        Traf before = audioFragment(muxer, audio.subList(0, 10), dts.applyAsLong(10));
        Traf after = audioFragment(muxer, audio.subList(10, 20), dts.applyAsLong(20));

        assertThat(after.baseDecodeTime()).as("the first sample after the gap decodes at its timestamp")
                .isEqualTo(Math.round(dts.applyAsLong(10) * 44.1));
        assertThat(before.samples().get(9).duration()).isGreaterThan(1024 + 500 * 44);
        assertThat(after.samples()).extracting(Sample::duration).containsOnly(1024L);
        audio.forEach(Frame::release);
    }

    @Test
    void eachTrackStartsAtItsFirstFrameOnTheStreamTimeline() {
        Fmp4Muxer muxer = new Fmp4Muxer(AVC, AAC_44K);
        List<Frame> video = List.of(video(1000, true, 80), video(1040, false, 0));
        List<Frame> audio = audio(3, n -> 977 + Math.round(n * 1024 * 1000 / 44_100.0));

        Fragment f = Mp4Reader.fragments(Fmp4Fixtures.bytes(
                muxer.fragment(ALLOC, 1, video, 1080, audio, 1047))).get(0);

        assertThat(f.track(1).baseDecodeTime()).isEqualTo(90_000);
        assertThat(f.track(2).baseDecodeTime()).isEqualTo(Math.round(977 * 44.1));
        release(video, audio);
    }

    private static List<Traf> muxInParts(Fmp4Muxer muxer, List<Frame> audio, int perPart, LongUnaryOperator dts) {
        List<Traf> trafs = new ArrayList<>();
        for (int from = 0; from < audio.size(); from += perPart) {
            int to = Math.min(audio.size(), from + perPart);
            trafs.add(audioFragment(muxer, audio.subList(from, to), dts.applyAsLong(to)));
        }
        return trafs;
    }

    /** One fragment, read back. */
    private static Fragment fragment(Fmp4Muxer muxer, List<Frame> video, long videoEnd, List<Frame> audio,
                                     long audioEnd) {
        return Mp4Reader.fragments(Fmp4Fixtures.bytes(muxer.fragment(ALLOC, 1, video, videoEnd, audio, audioEnd)))
                .get(0);
    }

    private static Traf audioFragment(Fmp4Muxer muxer, List<Frame> audio, long audioEnd) {
        return fragment(muxer, List.of(), 0, audio, audioEnd).track(2);
    }

    private static List<Long> decodeTimes(List<Traf> trafs) {
        List<Long> times = new ArrayList<>();
        for (Traf traf : trafs) {
            long t = traf.baseDecodeTime();
            for (Sample s : traf.samples()) {
                times.add(t);
                t += s.duration();
            }
        }
        return times;
    }

    private static Frame video(long dts, boolean key, int cts) {
        return new Frame(Codec.H264, Frame.Type.CODED, key, dts, cts,
                Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, (byte) (key ? 0x65 : 0x41), 0}), 0);
    }

    private static List<Frame> audio(int count, LongUnaryOperator dts) {
        List<Frame> frames = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            frames.add(FlvFrames.audio(dts.applyAsLong(n), Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 1, 0x21})));
        }
        return frames;
    }

    @SafeVarargs
    private static void release(List<Frame>... lists) {
        for (List<Frame> frames : lists) {
            frames.forEach(Frame::release);
        }
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}

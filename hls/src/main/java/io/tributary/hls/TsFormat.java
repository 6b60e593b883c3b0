package io.tributary.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.hls.ts.TsMuxer;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import java.util.List;

/** MPEG-TS chunks: one muxer for the stream's life, so continuity counters run on across segments. */
final class TsFormat implements ChunkFormat {
    private TsMuxer muxer;
    private AvcConfig video;
    private AacConfig audio;

    @Override
    public void configure(AvcConfig video, AacConfig audio) {
        if (muxer == null) {
            muxer = new TsMuxer(video, audio);
        } else {
            if (video != null && !Codecs.same(video, this.video)) {
                muxer.updateVideo(video);
            }
            if (audio != null && !audio.equals(this.audio)) {
                muxer.updateAudio(audio);
            }
        }
        this.video = video;
        this.audio = audio;
    }

    @Override
    public Output write(List<Frame> frames, long endDts, boolean segmentStart, long sequence, boolean tracks) {
        ByteBuf out = Unpooled.buffer(estimate(frames));
        try {
            if (segmentStart) {
                muxer.writeTables(out);
            }
            for (Frame f : frames) {
                muxer.write(f, out);
            }
            muxer.flush(out);
            return new Output(ByteBufUtil.getBytes(out), null, null);
        } finally {
            out.release();
        }
    }

    private static int estimate(List<Frame> frames) {
        long n = 376;
        for (Frame f : frames) {
            n += f.size() + f.size() / 180 * 4 + 200;
        }
        return (int) Math.min(Integer.MAX_VALUE - 8, n);
    }

    @Override
    public InitSegments initSegments() {
        return null;
    }

    @Override
    public String codecs() {
        return Codecs.of(video, audio);
    }

    @Override
    public String videoCodecs() {
        return Codecs.of(video, null);
    }

    @Override
    public String audioCodecs() {
        return Codecs.of(null, audio);
    }
}

package io.tributary.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tributary.hls.fmp4.Fmp4Muxer;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * fMP4 chunks: a fragment per chunk with both tracks (HLS plays them muxed), and, for DASH, the same
 * chunk as one fragment per track (DASH players want a track per representation). A new configuration
 * means new muxers and initialization segments.
 */
final class Fmp4Format implements ChunkFormat {
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    private Fmp4Muxer muxed;
    private Fmp4Muxer videoOnly;
    private Fmp4Muxer audioOnly;
    private InitSegments inits;
    private AvcConfig video;
    private AacConfig audio;

    @Override
    public void configure(AvcConfig video, AacConfig audio) {
        if (muxed != null && Codecs.same(video, this.video) && Objects.equals(audio, this.audio)) {
            return;
        }
        muxed = new Fmp4Muxer(video, audio);
        videoOnly = video == null ? null : new Fmp4Muxer(video, null);
        audioOnly = audio == null ? null : new Fmp4Muxer(null, audio);
        inits = new InitSegments(init(muxed), videoOnly == null ? null : init(videoOnly),
                audioOnly == null ? null : init(audioOnly));
        this.video = video;
        this.audio = audio;
    }

    private static byte[] init(Fmp4Muxer muxer) {
        ByteBuf b = muxer.initSegment(ALLOC);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Override
    public Output write(List<Frame> frames, long endDts, boolean segmentStart, long sequence, boolean tracks) {
        List<Frame> v = new ArrayList<>(frames.size());
        List<Frame> a = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            (f.isVideo() ? v : a).add(f);
        }
        byte[] both = fragment(muxed, sequence, v, endDts, a);
        if (!tracks) {
            return new Output(both, null, null);
        }
        return new Output(both, videoOnly == null || v.isEmpty() ? null : fragment(videoOnly, sequence, v, endDts, List.of()),
                audioOnly == null || a.isEmpty() ? null : fragment(audioOnly, sequence, List.of(), endDts, a));
    }

    private static byte[] fragment(Fmp4Muxer muxer, long sequence, List<Frame> v, long endDts, List<Frame> a) {
        ByteBuf b = muxer.fragment(ALLOC, sequence, v, endDts, a, endDts);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Override
    public InitSegments initSegments() {
        return inits;
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

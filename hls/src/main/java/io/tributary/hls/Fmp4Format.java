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

/** fMP4 chunks: a fragment per chunk; a new configuration means a new muxer and initialization segment. */
final class Fmp4Format implements ChunkFormat {
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    private Fmp4Muxer muxer;
    private byte[] init;
    private AvcConfig video;
    private AacConfig audio;

    @Override
    public void configure(AvcConfig video, AacConfig audio) {
        if (muxer != null && Codecs.same(video, this.video) && java.util.Objects.equals(audio, this.audio)) {
            return;
        }
        muxer = new Fmp4Muxer(video, audio);
        ByteBuf b = muxer.initSegment(ALLOC);
        try {
            init = ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
        this.video = video;
        this.audio = audio;
    }

    @Override
    public byte[] write(List<Frame> frames, long endDts, boolean segmentStart, long sequence) {
        List<Frame> v = new ArrayList<>(frames.size());
        List<Frame> a = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            (f.isVideo() ? v : a).add(f);
        }
        ByteBuf b = muxer.fragment(ALLOC, sequence, v, endDts, a, endDts);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Override
    public byte[] initSegment() {
        return init;
    }

    @Override
    public String codecs() {
        return Codecs.of(video, audio);
    }
}

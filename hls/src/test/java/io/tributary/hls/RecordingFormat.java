package io.tributary.hls;

import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import java.util.ArrayList;
import java.util.List;

/** A container format that records what it was asked to write: which frames went into which chunk. */
final class RecordingFormat implements ChunkFormat {
    record Chunk(List<Long> dts, List<Boolean> video, long endDts, boolean segmentStart, long sequence) {
        boolean startsWithKeyframe(List<Boolean> keys) {
            return !keys.isEmpty() && keys.get(0);
        }
    }

    final List<Chunk> chunks = new ArrayList<>();
    final List<AvcConfig> videoConfigs = new ArrayList<>();
    private final boolean fmp4;

    RecordingFormat(boolean fmp4) {
        this.fmp4 = fmp4;
    }

    @Override
    public void configure(AvcConfig video, AacConfig audio) {
        videoConfigs.add(video);
    }

    @Override
    public byte[] write(List<Frame> frames, long endDts, boolean segmentStart, long sequence) {
        chunks.add(new Chunk(frames.stream().map(Frame::dts).toList(), frames.stream().map(Frame::isVideo).toList(),
                endDts, segmentStart, sequence));
        return new byte[frames.size()];
    }

    @Override
    public byte[] initSegment() {
        return fmp4 ? new byte[] {(byte) videoConfigs.size()} : null;
    }

    @Override
    public String codecs() {
        return "avc1.42c01e,mp4a.40.2";
    }
}

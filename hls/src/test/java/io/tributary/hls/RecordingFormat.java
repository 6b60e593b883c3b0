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

    private boolean withVideo;
    private boolean withAudio;

    @Override
    public void configure(AvcConfig video, AacConfig audio) {
        videoConfigs.add(video);
        withVideo = video != null;
        withAudio = audio != null;
    }

    @Override
    public Output write(List<Frame> frames, long endDts, boolean segmentStart, long sequence, boolean tracks) {
        // As the real muxers: a track the format was configured without cannot be written.
        if (frames.stream().anyMatch(f -> f.isVideo() ? !withVideo : !withAudio)) {
            throw new IllegalArgumentException("a frame of a track this format was configured without");
        }
        chunks.add(new Chunk(frames.stream().map(Frame::dts).toList(), frames.stream().map(Frame::isVideo).toList(),
                endDts, segmentStart, sequence));
        byte[] both = new byte[frames.size()];
        return tracks ? new Output(both, new byte[] {1}, new byte[] {2}) : new Output(both, null, null);
    }

    private InitSegments inits;

    @Override
    public InitSegments initSegments() {
        if (fmp4 && (inits == null || inits.muxed()[0] != videoConfigs.size())) {
            inits = new InitSegments(new byte[] {(byte) videoConfigs.size()}, new byte[] {1}, new byte[] {2});
        }
        return fmp4 ? inits : null;
    }

    @Override
    public String codecs() {
        return "avc1.42c01e,mp4a.40.2";
    }

    @Override
    public String videoCodecs() {
        return "avc1.42c01e";
    }

    @Override
    public String audioCodecs() {
        return "mp4a.40.2";
    }
}

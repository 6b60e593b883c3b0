package io.tributary.hls.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tributary.media.Codec;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a live stream as fragmented MP4 (ISO/IEC 14496-12, CMAF-style) for HLS (fMP4, LL-HLS parts) and
 * DASH: an initialization segment (ftyp + moov with mvex) and media fragments (moof + mdat) that carry the
 * video track (id 1, timescale 90 000) and the audio track (id 2, timescale = the AAC sample rate) side by
 * side. Sample durations come from consecutive decode times; the decode time of each fragment (tfdt)
 * carries on from the previous one, so fragments concatenate into segments and segments into a stream.
 * One muxer per stream rendition; not thread-safe.
 *
 * <p>Video decode times are the frames' dts converted exactly to 90 kHz. Audio samples last exactly 1024
 * ticks while the timestamps agree within a few milliseconds and are re-synchronised to them when they
 * drift further (see {@link AudioTimeline}). The first fragment's tfdt is the first frame's dts, so both
 * tracks sit on the stream timeline; there is no edit list.
 *
 * <p>A fragment does not copy sample bytes and does not take over the caller's frames: it holds retained
 * slices of their data until it is released.
 */
public final class Fmp4Muxer {
    static final int VIDEO_TRACK_ID = 1;
    static final int AUDIO_TRACK_ID = 2;
    static final int VIDEO_TIMESCALE = 90_000;
    private static final long MAX_UNSIGNED_32 = 0xFFFF_FFFFL;

    private final AvcConfig video;
    private final AacConfig audio;
    private final VideoTimeline videoTimeline = new VideoTimeline();
    private final AudioTimeline audioTimeline;

    /**
     * @param video the H.264 configuration, or null for a stream without video
     * @param audio the AAC configuration, or null for a stream without audio
     * @throws IllegalArgumentException when both are null, or the AAC configuration cannot be described in
     *                                  an esds (a program config element, a non-AAC object type)
     */
    public Fmp4Muxer(AvcConfig video, AacConfig audio) {
        if (video == null && audio == null) {
            throw new IllegalArgumentException("a stream needs a video or an audio configuration");
        }
        if (audio != null) {
            AudioSpecificConfigWriter.write(audio); // refuse now what the init segment could not describe
        }
        this.video = video;
        this.audio = audio;
        this.audioTimeline = audio != null ? new AudioTimeline(audio.sampleRate()) : null;
    }

    /** ftyp + moov for the configurations given. A new configuration needs a new muxer and init segment. */
    public ByteBuf initSegment(ByteBufAllocator alloc) {
        return InitSegmentWriter.write(alloc, video, audio);
    }

    /**
     * One fragment: moof (mfhd with {@code sequenceNumber}, a traf per track that has samples here: tfhd,
     * tfdt, trun with sizes, durations, flags (sync or not) and composition offsets) and mdat.
     *
     * @param video coded video frames in decode order (may be empty)
     * @param videoEndDts where the last video frame here ends (ms): the next video frame's decode time, or
     *     the fragment's boundary; the next fragment's first picture absorbs any difference, and every
     *     picture still shows at its own pts
     * @param audio coded AAC frames in decode order (may be empty)
     * @param audioEndDts where the last audio frame here ends (ms); it may be the fragment's boundary
     *     rather than the next audio frame: it only ever lengthens the last frame, for a real gap
     * @throws IllegalArgumentException when both lists are empty, a list holds frames this muxer has no
     *                                  track for (or that are not coded H.264/AAC), or the sequence number
     *                                  does not fit in 32 bits
     */
    public ByteBuf fragment(ByteBufAllocator alloc, long sequenceNumber, List<Frame> video, long videoEndDts,
                            List<Frame> audio, long audioEndDts) {
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(audio, "audio");
        if (sequenceNumber < 0 || sequenceNumber > MAX_UNSIGNED_32) {
            throw new IllegalArgumentException("mfhd sequence number " + sequenceNumber + " is outside 0..2^32-1");
        }
        if (video.isEmpty() && audio.isEmpty()) {
            throw new IllegalArgumentException("a fragment needs at least one sample");
        }
        check(video, Codec.H264, this.video != null);
        check(audio, Codec.AAC, this.audio != null);
        List<TrackRun> runs = new ArrayList<>(2);
        TrackRun videoRun = video.isEmpty() ? null : videoTimeline.plan(video, videoEndDts);
        TrackRun audioRun = audio.isEmpty() ? null : audioTimeline.plan(audio, audioEndDts);
        if (videoRun != null) {
            runs.add(videoRun);
        }
        if (audioRun != null) {
            runs.add(audioRun);
        }
        ByteBuf fragment = FragmentWriter.write(alloc, sequenceNumber, runs);
        if (videoRun != null) {
            videoTimeline.advance(videoRun);
        }
        if (audioRun != null) {
            audioTimeline.advance(audioRun);
        }
        return fragment;
    }

    /** The RFC 6381 codecs string for playlists and manifests, e.g. {@code avc1.64001F,mp4a.40.2}. */
    public String codecs() {
        if (video == null) {
            return audio.codecString();
        }
        return audio == null ? video.codecString() : video.codecString() + ',' + audio.codecString();
    }

    private static void check(List<Frame> frames, Codec codec, boolean hasTrack) {
        if (frames.isEmpty()) {
            return;
        }
        if (!hasTrack) {
            throw new IllegalArgumentException(codec.shortName() + " frames given to a muxer without a "
                    + codec.kind().name().toLowerCase() + " track");
        }
        for (Frame frame : frames) {
            if (frame.codec() != codec || frame.type() != Frame.Type.CODED) {
                throw new IllegalArgumentException("expected coded " + codec.shortName() + " frames, got " + frame);
            }
        }
    }
}

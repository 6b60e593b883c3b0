package io.tributary.hls.ts;

import io.netty.buffer.ByteBuf;
import io.tributary.media.Codec;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a live stream as MPEG-TS (ISO/IEC 13818-1) for HLS segments: PAT and PMT at the start of every
 * segment, H.264 as Annex-B PES (an access unit delimiter first, SPS and PPS before every IDR picture),
 * AAC as ADTS PES (several frames per PES, so audio does not double in size), PCR on the PCR PID,
 * continuity counters that carry on across segments, PTS/DTS at 90 kHz from the frames' millisecond
 * timestamps. One muxer per stream rendition; not thread-safe.
 *
 * <p>The muxer never keeps a reference to a frame it is given: pictures are copied into {@code out}
 * at once, and audio held back for the next PES is copied (it is small).
 */
public final class TsMuxer {
    /** PIDs used: PMT, H.264, AAC. */
    public static final int PMT_PID = 0x1000;
    public static final int VIDEO_PID = 0x100;
    public static final int AUDIO_PID = 0x101;

    /**
     * How far the PCR runs behind the decode time of the PES it comes with: a decoder that follows the
     * PCR has each PES well before it must decode it (audio waits up to 100 ms for its PES to fill), and
     * the PCR never gets ahead of a DTS.
     */
    static final long PCR_DELAY_MS = 300;
    static final long PCR_DELAY_90K = PCR_DELAY_MS * 90;

    private final boolean hasVideo;
    private final boolean hasAudio;
    private final byte[] pat;
    private final byte[] pmt;
    private final TsPid patPid = new TsPid(TsTables.PAT_PID);
    private final TsPid pmtPid = new TsPid(PMT_PID);
    private final TsPid videoPid = new TsPid(VIDEO_PID);
    private final TsPid audioPid = new TsPid(AUDIO_PID);
    private final AnnexBAccessUnit picture = new AnnexBAccessUnit();
    private final AdtsPes sound = new AdtsPes();

    private AvcConfig video;
    private AvcConfig nextVideo;
    private AacConfig nextAudio;

    /**
     * @param video the H.264 configuration, or null for a stream without video
     * @param audio the AAC configuration, or null for a stream without audio
     * @throws IllegalArgumentException when both are null
     * @throws io.tributary.media.codec.CodecConfigException when ADTS cannot describe the AAC configuration
     */
    public TsMuxer(AvcConfig video, AacConfig audio) {
        if (video == null && audio == null) {
            throw new IllegalArgumentException("a transport stream needs a video or an audio configuration");
        }
        this.hasVideo = video != null;
        this.hasAudio = audio != null;
        this.video = video;
        if (audio != null) {
            sound.configure(audio);
        }
        this.pat = TsTables.pat(PMT_PID);
        if (hasVideo && hasAudio) {
            this.pmt = TsTables.pmt(VIDEO_PID, TsTables.STREAM_TYPE_H264, VIDEO_PID,
                    TsTables.STREAM_TYPE_AAC_ADTS, AUDIO_PID);
        } else if (hasVideo) {
            this.pmt = TsTables.pmt(VIDEO_PID, TsTables.STREAM_TYPE_H264, VIDEO_PID);
        } else {
            this.pmt = TsTables.pmt(AUDIO_PID, TsTables.STREAM_TYPE_AAC_ADTS, AUDIO_PID);
        }
    }

    /** A new H.264 configuration (the publisher sent another sequence header): used from the next IDR on. */
    public void updateVideo(AvcConfig video) {
        Objects.requireNonNull(video, "video");
        if (!hasVideo) {
            throw new IllegalStateException("this muxer was created without video; its PMT has no video stream");
        }
        nextVideo = video;
    }

    /**
     * A new AAC configuration. Audio already held goes out under the old one first.
     *
     * @throws io.tributary.media.codec.CodecConfigException when ADTS cannot describe it
     */
    public void updateAudio(AacConfig audio) {
        Objects.requireNonNull(audio, "audio");
        if (!hasAudio) {
            throw new IllegalStateException("this muxer was created without audio; its PMT has no audio stream");
        }
        audio.adtsHeader(0); // refuse it now rather than at the next frame
        nextAudio = audio;
    }

    /** The start of a segment: PAT and PMT (after {@link #flush} of the previous one). */
    public void writeTables(ByteBuf out) {
        TsPacketWriter.writeSection(out, patPid, pat);
        TsPacketWriter.writeSection(out, pmtPid, pmt);
    }

    /**
     * One coded frame ({@link Frame.Type#CODED}) of the video or the audio track. Video is written at once;
     * audio is held to share a PES with the next few audio frames (at most 5, or 100 ms), across pictures
     * as other muxers do, and written when that PES is full or at {@link #flush}. The PCR runs far enough
     * behind the decode times ({@value #PCR_DELAY_MS} ms) that held audio still arrives ahead of its time.
     *
     * @throws IllegalArgumentException when the frame is not a coded H.264 or AAC frame, or is malformed;
     *                                  it is refused whole, none of it written
     * @throws IllegalStateException    when the muxer was created without the frame's track
     */
    public void write(Frame frame, ByteBuf out) {
        if (frame.type() != Frame.Type.CODED) {
            throw new IllegalArgumentException("only coded frames go into a segment, not " + frame);
        }
        if (frame.codec() == Codec.H264) {
            requireTrack(hasVideo, frame);
            writeVideo(frame, out);
        } else if (frame.codec() == Codec.AAC) {
            requireTrack(hasAudio, frame);
            writeAudio(frame, out);
        } else {
            throw new IllegalArgumentException("MPEG-TS segments carry H.264 and AAC here, not "
                    + frame.codec().shortName());
        }
    }

    /** Writes audio still held back; call before ending a segment. */
    public void flush(ByteBuf out) {
        writeHeldAudio(out);
    }

    private void writeVideo(Frame frame, ByteBuf out) {
        AvcConfig config = frame.isKeyframe() && nextVideo != null ? nextVideo : video;
        long dts = PesHeader.clock90k(frame.dts());
        picture.prepare(frame, config, PesHeader.clock90k(frame.pts()), dts);
        if (config != video) {
            video = config;
            nextVideo = null;
        }
        // Held audio waits across pictures until its PES is full (at most 100 ms): fewer, fuller audio PES.
        TsPacketWriter.writePes(out, videoPid, picture, pcr(frame.dts()), picture.isRandomAccess());
    }

    private void writeAudio(Frame frame, ByteBuf out) {
        ByteBuf aac = frame.data();
        AdtsPes.requireFits(frame, aac);
        if (nextAudio != null) {
            writeHeldAudio(out);
            sound.configure(nextAudio);
            nextAudio = null;
        }
        if (!aac.isReadable()) {
            return; // some encoders send empty AAC packets; there is nothing to play in them
        }
        if (sound.wouldOverflow(frame)) {
            writeHeldAudio(out);
        }
        sound.add(frame, aac);
        if (sound.isFull()) {
            writeHeldAudio(out);
        }
    }

    private void writeHeldAudio(ByteBuf out) {
        if (sound.isEmpty()) {
            return;
        }
        sound.seal();
        // Without video the PCR rides on the audio, and every audio PES is a place to start from.
        long pcr = hasVideo ? TsPacketWriter.NO_PCR : pcr(sound.firstPts());
        TsPacketWriter.writePes(out, audioPid, sound, pcr, !hasVideo);
    }

    /** The PCR for a PES decoded at {@code millis}: a little earlier, never before the stream's zero. */
    private static long pcr(long millis) {
        return PesHeader.wrap(Math.max(0, millis * 90 - PCR_DELAY_90K));
    }

    private static void requireTrack(boolean present, Frame frame) {
        if (!present) {
            throw new IllegalStateException("this muxer was created without "
                    + frame.kind().name().toLowerCase(Locale.ROOT) + "; its PMT has no stream for " + frame);
        }
    }
}

package io.tributary.hls.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The initialization segment: {@code ftyp} and a {@code moov} whose sample tables are empty and whose
 * {@code mvex} announces that the samples come in movie fragments.
 *
 * <pre>
 * ftyp
 * moov
 *   mvhd
 *   trak (per track)
 *     tkhd
 *     mdia
 *       mdhd, hdlr
 *       minf
 *         vmhd | smhd
 *         dinf/dref/url
 *         stbl: stsd (avc1/avcC | mp4a/esds), stts, stsc, stsz, stco (all empty)
 *   mvex
 *     trex (per track)
 * </pre>
 */
final class InitSegmentWriter {
    private static final int MOVIE_TIMESCALE = 1000;
    private static final int FIXED_ONE = 0x00010000;
    private static final int VOLUME_FULL = 0x0100;
    private static final int[] UNITY_MATRIX = {FIXED_ONE, 0, 0, 0, FIXED_ONE, 0, 0, 0, 0x40000000};
    /** tkhd flags: track_enabled | track_in_movie. */
    private static final int TRACK_ENABLED_IN_MOVIE = 0x000003;
    /** "und" packed as three 5-bit letters minus 0x60. */
    private static final int LANGUAGE_UND = ('u' - 0x60) << 10 | ('n' - 0x60) << 5 | ('d' - 0x60);

    private InitSegmentWriter() {
    }

    static ByteBuf write(ByteBufAllocator alloc, AvcConfig video, AacConfig audio) {
        ByteBuf out = alloc.buffer(1024);
        try {
            BoxWriter w = new BoxWriter(out);
            ftyp(w, video != null, audio != null);
            w.open("moov");
            mvhd(w);
            if (video != null) {
                trak(w, Fmp4Muxer.VIDEO_TRACK_ID, Fmp4Muxer.VIDEO_TIMESCALE, video, null);
            }
            if (audio != null) {
                trak(w, Fmp4Muxer.AUDIO_TRACK_ID, audio.sampleRate(), null, audio);
            }
            w.open("mvex");
            if (video != null) {
                trex(w, Fmp4Muxer.VIDEO_TRACK_ID, FragmentWriter.NON_SYNC_SAMPLE);
            }
            if (audio != null) {
                trex(w, Fmp4Muxer.AUDIO_TRACK_ID, FragmentWriter.SYNC_SAMPLE);
            }
            w.close();
            w.close();
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * iso6 for tfdt and signed composition offsets, dash for DASH, avc1 when there is H.264, and cmfc only
     * for a single-track stream, because a CMAF track file holds exactly one track.
     */
    private static void ftyp(BoxWriter w, boolean hasVideo, boolean hasAudio) {
        List<String> brands = new ArrayList<>(List.of("iso6", "mp41", "dash"));
        if (hasVideo != hasAudio) {
            brands.add("cmfc");
        }
        if (hasVideo) {
            brands.add("avc1");
        }
        w.open("ftyp").fourCcValue("iso6").u32(0);
        brands.forEach(w::fourCcValue);
        w.close();
    }

    private static void mvhd(BoxWriter w) {
        w.openFull("mvhd", 0, 0);
        w.u32(0).u32(0); // creation_time, modification_time
        w.u32(MOVIE_TIMESCALE).u32(0); // duration 0: the length is not known, fragments follow
        w.u32(FIXED_ONE).u16(VOLUME_FULL).zeros(2 + 8);
        matrix(w);
        w.zeros(24); // pre_defined
        w.u32(Fmp4Muxer.AUDIO_TRACK_ID + 1); // next_track_ID
        w.close();
    }

    private static void trak(BoxWriter w, int trackId, int timescale, AvcConfig video, AacConfig audio) {
        w.open("trak");
        w.openFull("tkhd", 0, TRACK_ENABLED_IN_MOVIE);
        w.u32(0).u32(0).u32(trackId).u32(0).u32(0); // times, track_ID, reserved, duration
        w.zeros(8).u16(0).u16(0); // reserved, layer, alternate_group
        w.u16(audio != null ? VOLUME_FULL : 0).u16(0);
        matrix(w);
        w.u32(video != null ? video.width() << 16 : 0).u32(video != null ? video.height() << 16 : 0);
        w.close();

        w.open("mdia");
        w.openFull("mdhd", 0, 0).u32(0).u32(0).u32(timescale).u32(0).u16(LANGUAGE_UND).u16(0).close();
        w.openFull("hdlr", 0, 0).u32(0).fourCcValue(video != null ? "vide" : "soun").zeros(12)
                .cString(video != null ? "VideoHandler" : "SoundHandler").close();
        w.open("minf");
        if (video != null) {
            w.openFull("vmhd", 0, 1).u16(0).zeros(6).close(); // graphicsmode copy, opcolor
        } else {
            w.openFull("smhd", 0, 0).u16(0).u16(0).close(); // balance, reserved
        }
        w.open("dinf").openFull("dref", 0, 0).u32(1);
        w.openFull("url ", 0, 1).close(); // flag 1: the media is in this file
        w.close(); // dref
        w.close(); // dinf
        stbl(w, video, audio);
        w.close(); // minf
        w.close(); // mdia
        w.close(); // trak
    }

    private static void stbl(BoxWriter w, AvcConfig video, AacConfig audio) {
        w.open("stbl");
        w.openFull("stsd", 0, 0).u32(1);
        if (video != null) {
            SampleEntries.avc1(w, video);
        } else {
            SampleEntries.mp4a(w, audio);
        }
        w.close();
        w.openFull("stts", 0, 0).u32(0).close();
        w.openFull("stsc", 0, 0).u32(0).close();
        w.openFull("stsz", 0, 0).u32(0).u32(0).close();
        w.openFull("stco", 0, 0).u32(0).close();
        w.close();
    }

    private static void trex(BoxWriter w, int trackId, int defaultSampleFlags) {
        w.openFull("trex", 0, 0);
        w.u32(trackId).u32(1); // default_sample_description_index
        w.u32(0).u32(0).u32(defaultSampleFlags); // default duration, size, flags
        w.close();
    }

    private static void matrix(BoxWriter w) {
        for (int v : UNITY_MATRIX) {
            w.u32(v);
        }
    }
}

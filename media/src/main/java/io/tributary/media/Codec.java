package io.tributary.media;

/**
 * The codecs a frame can carry. Names are the short lower-case names ffprobe prints, so that what the
 * REST API reports matches what an operator sees in their tools.
 */
public enum Codec {
    H264(TrackKind.VIDEO, "h264"),
    HEVC(TrackKind.VIDEO, "hevc"),
    AV1(TrackKind.VIDEO, "av1"),
    VP9(TrackKind.VIDEO, "vp9"),
    /** Legacy FLV video codecs (Sorenson H.263, screen video, VP6): passed through, never parsed. */
    FLV_LEGACY_VIDEO(TrackKind.VIDEO, "flv-legacy"),
    AAC(TrackKind.AUDIO, "aac"),
    MP3(TrackKind.AUDIO, "mp3"),
    OPUS(TrackKind.AUDIO, "opus"),
    /** Legacy FLV audio codecs (PCM, ADPCM, Nellymoser, G.711, Speex): passed through, never parsed. */
    FLV_LEGACY_AUDIO(TrackKind.AUDIO, "flv-legacy"),
    /** AMF0-encoded script data (onMetaData, onCuePoint, onTextData). */
    AMF0(TrackKind.DATA, "amf0");

    private final TrackKind kind;
    private final String shortName;

    Codec(TrackKind kind, String shortName) {
        this.kind = kind;
        this.shortName = shortName;
    }

    public TrackKind kind() {
        return kind;
    }

    public String shortName() {
        return shortName;
    }
}

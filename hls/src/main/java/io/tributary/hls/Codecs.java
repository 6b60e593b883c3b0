package io.tributary.hls;

import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;

/** RFC 6381 codecs strings ("avc1.64001f,mp4a.40.2") for playlists and manifests. */
final class Codecs {
    private Codecs() {
    }

    /** Whether two H.264 configurations are the same (their records hold the same bytes). */
    static boolean same(AvcConfig a, AvcConfig b) {
        return a == b || a != null && b != null && java.util.Arrays.equals(a.toRecord(), b.toRecord());
    }

    static String of(AvcConfig video, AacConfig audio) {
        if (video == null && audio == null) {
            return null;
        }
        if (video == null) {
            return audio.codecString();
        }
        return audio == null ? video.codecString() : video.codecString() + "," + audio.codecString();
    }
}

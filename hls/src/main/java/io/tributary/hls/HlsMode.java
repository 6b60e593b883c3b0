package io.tributary.hls;

import java.util.Locale;

/** What a node serves as HLS for an application: MPEG-TS segments, fMP4 segments, or fMP4 with LL-HLS parts. */
public enum HlsMode {
    /** MPEG-TS segments: what every HLS player plays, including old TVs. */
    TS,
    /** Fragmented MP4 (CMAF) segments; also what DASH serves. */
    FMP4,
    /** Fragmented MP4 with Low-Latency HLS parts, blocking playlist reload and preload hints. */
    LLHLS;

    /** Parses {@code ts}, {@code fmp4} or {@code llhls} (any case). */
    public static HlsMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hls.mode is '" + text + "': use ts, fmp4 or llhls", e);
        }
    }

    /** Whether segments are fMP4 (and DASH can be served from them). */
    public boolean fragmentedMp4() {
        return this != TS;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

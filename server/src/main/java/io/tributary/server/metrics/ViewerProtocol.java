package io.tributary.server.metrics;

import io.tributary.media.stream.LiveStream;

/**
 * The protocols players watch over, as metrics label them ({@code protocol="http_flv"}) and as streams count
 * them ({@code "flv"}). Every protocol is always listed, so a dashboard shows zero rather than nothing.
 */
enum ViewerProtocol {
    RTMP("rtmp", "rtmp"),
    HTTP_FLV("http_flv", "flv"),
    HLS("hls", "hls"),
    DASH("dash", "dash");

    private final String label;
    private final String counted;

    ViewerProtocol(String label, String counted) {
        this.label = label;
        this.counted = counted;
    }

    String label() {
        return label;
    }

    int viewersOf(LiveStream stream) {
        return stream.viewers(counted);
    }
}

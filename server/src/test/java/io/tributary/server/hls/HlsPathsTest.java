package io.tributary.server.hls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a player with a fresh session is sent: the URL it asked for, relative, session instead of token. */
class HlsPathsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/live/streams/cam.m3u8?token=abc, cam.m3u8?hlsSession=9.sig",
        "/live/streams/cam.m3u8?token=abc&lang=en, cam.m3u8?lang=en&hlsSession=9.sig",
        "/live/streams/cam.m3u8?hlsSession=1.old&token=abc, cam.m3u8?hlsSession=9.sig",
        "/live/streams/cam/manifest.mpd?token=a%2Bb, manifest.mpd?hlsSession=9.sig",
        "/live/streams/cam.m3u8, cam.m3u8?hlsSession=9.sig"})
    void theSessionReplacesTheTokenAndOtherParametersStay(String asked, String location) {
        assertThat(HlsPaths.withSession(new QueryStringDecoder(asked), "hlsSession=9.sig")).isEqualTo(location);
    }
}

package io.tributary.cluster.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.media.StreamPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Players are sent to the advertised address, with the port of their protocol; IPv6 in brackets. */
class NodeUrlsTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "198.51.100.4,  rtmp,     rtmp://198.51.100.4:1935/live/cam-1",
            "198.51.100.4,  http-flv, http://198.51.100.4:5080/live/cam-1.flv",
            "2001:db8::7,   flv,      http://[2001:db8::7]:5080/live/cam-1.flv",
            "2001:db8::7,   rtmp,     rtmp://[2001:db8::7]:1935/live/cam-1",
            "edge.example,  hls,      http://edge.example:5080/live/streams/cam-1.m3u8",
            "edge.example,  dash,     http://edge.example:5080"})
    void urls(String advertise, String protocol, String url) {
        var node = TestNodes.node("n").advertise(advertise).record();

        assertThat(NodeUrls.url(node, StreamPath.parse("live/cam-1"), protocol)).isEqualTo(url);
    }
}

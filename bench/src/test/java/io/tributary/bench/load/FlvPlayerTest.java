package io.tributary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlvPlayerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a stream | HTTP/1.1 200 OK\\r\\nContent-Type: video/x-flv\\r\\nConnection: close |",
        "no such stream | HTTP/1.1 404 Not Found\\r\\nContent-Length: 17 | HTTP 404 Not Found",
        "a redirect | HTTP/1.1 302 Found\\r\\nLocation: http://b/live/x.flv | HTTP 302 Found",
        "chunked | HTTP/1.1 200 OK\\r\\ntransfer-encoding: Chunked | "
                + "the server sent the FLV body with chunked transfer coding, which the load generator does not read",
        "not HTTP | SSH-2.0-OpenSSH_9.6 | not an HTTP response: SSH-2.0-OpenSSH_9.6",
    })
    void theResponseHeadDecidesWhetherThePlayerReadsOn(String what, String head, String problem) {
        assertThat(FlvPlayer.checkHead(head.replace("\\r\\n", "\r\n"))).isEqualTo(problem);
    }
}

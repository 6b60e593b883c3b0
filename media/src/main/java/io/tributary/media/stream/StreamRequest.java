package io.tributary.media.stream;

import io.tributary.media.StreamPath;
import java.net.SocketAddress;
import java.util.Map;

/**
 * A client asking to publish or play a stream.
 *
 * @param path the stream asked for
 * @param params the query parameters of the URL (kept for access control: tokens, hashes)
 * @param remote the client's address
 * @param protocol the protocol it speaks ("rtmp", "flv", ...)
 */
public record StreamRequest(StreamPath path, Map<String, String> params, SocketAddress remote, String protocol) {

    public StreamRequest {
        params = Map.copyOf(params);
    }
}

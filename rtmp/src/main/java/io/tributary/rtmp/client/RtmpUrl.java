package io.tributary.rtmp.client;

import java.net.URI;

/**
 * An {@code rtmp://host[:port]/app[/streamName][?query]} address split the way RTMP needs it: the
 * connection part (host, port, app, tcUrl) and the stream name.
 */
public record RtmpUrl(String host, int port, String app, String streamName, String query) {
    public static final int DEFAULT_PORT = 1935;

    public static RtmpUrl parse(String url) {
        URI uri = URI.create(url);
        if (!"rtmp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an rtmp:// URL: " + url);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("rtmp URL has no application: " + url);
        }
        int slash = path.indexOf('/');
        String app = slash < 0 ? path : path.substring(0, slash);
        String stream = slash < 0 ? null : path.substring(slash + 1);
        return new RtmpUrl(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), app,
                stream == null || stream.isEmpty() ? null : stream, uri.getRawQuery());
    }

    /** The tcUrl a client announces in connect. */
    public String tcUrl() {
        return "rtmp://" + host + ":" + port + "/" + app;
    }

    /** The name to publish or play, with the query kept on it as encoders do. */
    public String streamNameWithQuery() {
        return query == null ? streamName : streamName + "?" + query;
    }
}

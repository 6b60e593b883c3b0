package io.tributary.cluster.allocation;

import io.tributary.cluster.node.NodeRecord;
import io.tributary.media.StreamPath;
import java.util.Locale;

/**
 * Where a client reaches a stream on a node: its advertised address (never the internal one) and the
 * port of the protocol. App names and stream ids are URL-safe by rule ({@code StreamIds}), so they go in
 * as they are.
 */
public final class NodeUrls {

    private NodeUrls() {
    }

    /**
     * {@code rtmp://a:1935/app/id}, {@code http://a:5080/app/id.flv} ("flv", "http-flv"),
     * {@code http://a:5080/app/streams/id.m3u8} ("hls"); for any other protocol the node's HTTP base URL,
     * to which the caller adds its own path.
     */
    public static String url(NodeRecord node, StreamPath path, String protocol) {
        String p = protocol == null ? "" : protocol.toLowerCase(Locale.ROOT);
        return switch (p) {
            case "rtmp" -> "rtmp://" + host(node) + ":" + node.rtmpPort() + "/" + path.app() + "/" + path.streamId();
            case "flv", "http-flv" -> httpBase(node) + "/" + path.app() + "/" + path.streamId() + ".flv";
            case "hls" -> httpBase(node) + "/" + path.app() + "/streams/" + path.streamId() + ".m3u8";
            default -> httpBase(node);
        };
    }

    /** {@code http://advertise:httpPort}, the address players are sent to. */
    public static String httpBase(NodeRecord node) {
        return "http://" + host(node) + ":" + node.httpPort();
    }

    private static String host(NodeRecord node) {
        String a = node.advertise();
        return a.indexOf(':') >= 0 && !a.startsWith("[") ? "[" + a + "]" : a;
    }
}

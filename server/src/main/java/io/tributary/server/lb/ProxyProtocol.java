package io.tributary.server.lb;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The PROXY protocol (v1 text or v2 binary, as HAProxy's {@code send-proxy}/{@code send-proxy-v2}
 * write it) on one listener: each connection gets a {@link ProxyProtocolDetector} first in its pipeline,
 * which believes a header only from a trusted proxy and stores the client address it names in
 * {@code clientKey}.
 *
 * @param listener  how log lines name the listener ("RTMP", "HTTP")
 * @param required  whether a connection from a trusted proxy must start with a header (the proxy is
 *                  configured to send one, so a connection without it did not come through it as meant)
 */
public record ProxyProtocol(String listener, TrustedProxies proxies, boolean required,
                            AttributeKey<InetSocketAddress> clientKey) {

    /** A detector for one new connection. */
    public ChannelHandler newDetector() {
        return new ProxyProtocolDetector(this);
    }

    /** The client a PROXY header named for this channel, or its peer. */
    public static SocketAddress client(Channel channel, AttributeKey<InetSocketAddress> clientKey) {
        InetSocketAddress proxied = channel.attr(clientKey).get();
        return proxied != null ? proxied : channel.remoteAddress();
    }
}

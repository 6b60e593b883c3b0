package io.tributary.server.lb;

import io.netty.channel.ChannelHandler;
import io.tributary.rtmp.server.RtmpServer;
import io.tributary.server.config.ConfigException;
import io.tributary.server.config.ConfigKeys;
import io.tributary.server.config.NodeConfig;
import io.tributary.server.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a node takes from the load balancers in front of it: whom it trusts, and the PROXY protocol per listener. */
public final class LoadBalancerSupport {
    private static final Logger log = LoggerFactory.getLogger(LoadBalancerSupport.class);

    private final TrustedProxies proxies;
    private final ProxyProtocol rtmp;
    private final ProxyProtocol http;

    private LoadBalancerSupport(TrustedProxies proxies, boolean rtmpRequired) {
        this.proxies = proxies;
        this.rtmp = new ProxyProtocol("RTMP", proxies, rtmpRequired, RtmpServer.CLIENT_ADDRESS);
        this.http = new ProxyProtocol("HTTP", proxies, false, HttpServer.PROXIED_CLIENT);
    }

    public static LoadBalancerSupport from(NodeConfig config) {
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.of(config.get(ConfigKeys.SERVER_TRUSTED_PROXIES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKeys.SERVER_TRUSTED_PROXIES.name() + ": " + e.getMessage());
        }
        boolean required = config.get(ConfigKeys.RTMP_REQUIRE_PROXY_PROTOCOL);
        if (!proxies.isEmpty()) {
            log.info("trusting client addresses (X-Forwarded-For, PROXY protocol) from {}{}", proxies,
                    required ? "; RTMP connections from them must send a PROXY header" : "");
        } else if (required) {
            log.warn("rtmp.requireProxyProtocol is set but server.trustedProxies is empty: no connection is "
                    + "from a trusted proxy, so none is required to send a PROXY header");
        }
        return new LoadBalancerSupport(proxies, required);
    }

    public TrustedProxies proxies() {
        return proxies;
    }

    /** The first handler of a new RTMP connection. */
    public ChannelHandler rtmpDetector() {
        return rtmp.newDetector();
    }

    /** The first handler of a new HTTP connection. */
    public ChannelHandler httpDetector() {
        return http.newDetector();
    }
}

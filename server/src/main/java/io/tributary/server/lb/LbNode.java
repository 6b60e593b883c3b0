package io.tributary.server.lb;

import java.util.List;

/**
 * A node as a load balancer needs it: a name, the address the load balancer reaches it at (its internal
 * address), its ports and roles.
 */
public record LbNode(String id, String host, int rtmpPort, int httpPort, List<String> roles) {

    public LbNode {
        roles = List.copyOf(roles);
    }

    public boolean isOrigin() {
        return roles.contains("origin");
    }

    public boolean isEdge() {
        return roles.contains("edge");
    }

    /** {@code host:port} as HAProxy reads it, with an IPv6 address in brackets. */
    String address(int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}

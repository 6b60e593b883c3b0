package io.tributary.media;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Socket addresses as logs and APIs show them: {@code 192.0.2.7:53422}, never Java's {@code /192.0.2.7:53422};
 * an address without a port (a client named by X-Forwarded-For) is just {@code 192.0.2.7}.
 */
public final class Addresses {

    private Addresses() {
    }

    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress i) {
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            if (i.getPort() == 0) {
                return host;
            }
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(address);
    }

    /** Just the IP (or host) part. */
    public static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress i) {
            return i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
        }
        return String.valueOf(address);
    }
}

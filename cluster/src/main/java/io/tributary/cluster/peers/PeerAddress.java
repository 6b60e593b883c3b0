package io.tributary.cluster.peers;

/**
 * Where a peer's control plane (its HTTP port) is reached: {@code host:port}, with IPv6 hosts in brackets
 * when written.
 */
public record PeerAddress(String host, int port) {

    /** {@code host:port} (or {@code [v6]:port}), or null when the text is not one. */
    public static PeerAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            return null;
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return null;
        }
        try {
            int port = Integer.parseInt(t.substring(colon + 1));
            return host.isEmpty() || port < 1 || port > 65535 ? null : new PeerAddress(host, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static String format(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return format(host, port);
    }
}

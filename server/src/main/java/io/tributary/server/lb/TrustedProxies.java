package io.tributary.server.lb;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The load balancers and reverse proxies this node believes ({@code server.trustedProxies}): only a peer
 * in one of these blocks may tell the node who the client really is, with {@code X-Forwarded-For} or a
 * PROXY protocol header. Anyone else could name any address, so what they send is ignored.
 */
public final class TrustedProxies {
    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Cidr> blocks;

    private TrustedProxies(List<Cidr> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /** @param cidrs the configured blocks, or null for none */
    public static TrustedProxies of(List<String> cidrs) {
        if (cidrs == null || cidrs.isEmpty()) {
            return NONE;
        }
        List<Cidr> blocks = new ArrayList<>();
        for (String c : cidrs) {
            blocks.add(Cidr.parse(c));
        }
        return new TrustedProxies(blocks);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean trusts(SocketAddress peer) {
        return peer instanceof InetSocketAddress i && i.getAddress() != null && trusts(i.getAddress());
    }

    public boolean trusts(InetAddress address) {
        for (Cidr block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client behind {@code peer}: from a trusted peer, the right-most address of
     * {@code X-Forwarded-For} that is not itself a trusted proxy (each proxy appends the address it
     * was connected from, so everything left of the first untrusted hop may be made up by the client).
     * From an untrusted peer, or without the header, the peer itself. The header carries no port, so
     * an address taken from it has port 0.
     *
     * @param forwardedFor every {@code X-Forwarded-For} header value, in order
     */
    public SocketAddress client(SocketAddress peer, List<String> forwardedFor) {
        if (forwardedFor.isEmpty() || !trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                hops.add(hop.trim());
            }
        }
        SocketAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = parseHop(hops.get(i));
            if (hop == null) {
                // "unknown", an obfuscated name or garbage: nothing left of it can be believed either.
                break;
            }
            client = new InetSocketAddress(hop, 0);
            if (!trusts(hop)) {
                break;
            }
        }
        return client;
    }

    /** An IP address as proxies write it: {@code 192.0.2.7}, {@code 2001:db8::1}, {@code [2001:db8::1]:80}. */
    static InetAddress parseHop(String hop) {
        String h = hop;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            h = close < 0 ? h : h.substring(1, close);
        } else if (h.indexOf(':') > 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            h = h.substring(0, h.indexOf(':'));
        }
        return NetUtil.createInetAddressFromIpAddressString(h);
    }

    @Override
    public String toString() {
        return blocks.toString();
    }
}

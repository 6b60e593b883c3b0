package io.tributary.server.lb;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * One block of addresses written as {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address
 * ({@code 127.0.0.1}, the same as {@code /32}). An IPv4 block also holds the IPv4-mapped IPv6 form of its
 * addresses ({@code ::ffff:10.0.0.1}), which is how a dual-stack listener may report an IPv4 peer.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
    }

    /** Parses the text without any DNS lookup; a host name is an error. */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR block "
                    + "(e.g. 10.0.0.0/8, 192.0.2.7, 2001:db8::/32)");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("\"" + text + "\": the prefix length must be 0 to " + max);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && network.length == 4 && isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
    }

    private static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff00 >> bits);
        }
        return masked;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

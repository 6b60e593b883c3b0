package io.tributary.server.lb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a TCP load balancer: forwards every connection to a target, connecting from a chosen
 * local address, and first writes a PROXY protocol header naming a made-up client, as HAProxy's
 * {@code send-proxy}/{@code send-proxy-v2} do.
 */
public final class ProxyRelay implements AutoCloseable {
    public enum Header { NONE, V1, V2 }

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final ServerSocket listener;
    private final int targetPort;
    private final Header header;
    private final InetSocketAddress client;
    private final InetAddress from;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /**
     * @param client the client the header names
     * @param from   the local address the relay connects to the target from
     */
    public ProxyRelay(int targetPort, Header header, InetSocketAddress client, InetAddress from) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.header = header;
        this.client = client;
        this.from = from;
        daemon("relay-accept", this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The header bytes for a client, as a proxy writes them. */
    static byte[] header(Header header, InetSocketAddress client, int targetPort) {
        String src = client.getAddress().getHostAddress();
        return switch (header) {
            case NONE -> new byte[0];
            case V1 -> ("PROXY TCP4 " + src + " 127.0.0.1 " + client.getPort() + " " + targetPort + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            case V2 -> ByteBuffer.allocate(28).put(V2_SIGNATURE)
                    .put((byte) 0x21)            // version 2, PROXY command
                    .put((byte) 0x11)            // TCP over IPv4
                    .putShort((short) 12)
                    .put(client.getAddress().getAddress()).put(InetAddress.getLoopbackAddress().getAddress())
                    .putShort((short) client.getPort()).putShort((short) targetPort)
                    .array();
        };
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket in = listener.accept();
                Socket out = new Socket();
                sockets.add(in);
                sockets.add(out);
                out.bind(new InetSocketAddress(from, 0));
                out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                out.getOutputStream().write(header(header, client, targetPort));
                pipe(in, out);
                pipe(out, in);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pipe(Socket a, Socket b) {
        daemon("relay-pipe", () -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = a.getInputStream(); OutputStream out = b.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // one side closed: the finally below closes the other
            } finally {
                close(a);
                close(b);
            }
        });
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(ProxyRelay::close);
    }
}

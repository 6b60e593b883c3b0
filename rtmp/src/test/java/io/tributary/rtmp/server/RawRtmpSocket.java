package io.tributary.rtmp.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A bare TCP client that does a plain RTMP handshake and then writes whatever bytes a test wants. */
final class RawRtmpSocket implements AutoCloseable {
    private final Socket socket;

    RawRtmpSocket(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
    }

    /** C0+C1 (plain), read S0+S1+S2, send C2 = S1. */
    RawRtmpSocket handshake() throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(3);
        out.write(new byte[1536]);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] s0s1s2 = new byte[1 + 1536 + 1536];
        in.readFully(s0s1s2);
        out.write(s0s1s2, 1, 1536);
        out.flush();
        return this;
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Reads until the server closes the connection; true if it did within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            byte[] buf = new byte[4096];
            while (true) {
                int n = socket.getInputStream().read(buf);
                if (n < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

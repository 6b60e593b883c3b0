package io.tributary.server.lb;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An HTTP server standing in for a node behind HAProxy: {@code /health} answers 200 (or 503 once
 * drained), anything else answers the server's name, and every request it receives is recorded.
 */
final class FakeEdge implements AutoCloseable {
    /** One request as the node saw it. */
    record Seen(String path, String forwardedFor, String forwardedProto) {
    }

    static {
        // Without it the JDK's server waits for delayed ACKs (Nagle) and every answer takes 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String name;
    private final HttpServer server;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    FakeEdge(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            boolean health = path.equals("/health");
            if (!health) {
                seen.add(new Seen(path, exchange.getRequestHeaders().getFirst("X-Forwarded-For"),
                        exchange.getRequestHeaders().getFirst("X-Forwarded-Proto")));
            }
            byte[] body = (health ? (draining.get() ? "draining" : "serving") : name).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(health && draining.get() ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String name() {
        return name;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void drain() {
        draining.set(true);
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.tributary.server.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook as an operator's service would run it (SRS http_hooks style): records every JSON body it is
 * sent and answers with whatever the test set, or not at all.
 */
final class HookServer implements AutoCloseable {
    private record Answer(int status, String body) {
    }

    private static final Answer SILENT = new Answer(0, null);
    private final HttpServer server;
    private final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    private final List<HttpExchange> unanswered = new CopyOnWriteArrayList<>();
    private volatile Answer answer = new Answer(200, "{\"code\": 0}");

    HookServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** From now on every call is answered with this status and body. */
    HookServer answer(int status, String body) {
        answer = new Answer(status, body);
        return this;
    }

    /** From now on calls are never answered. */
    HookServer silent() {
        answer = SILENT;
        return this;
    }

    /** The JSON bodies received, oldest first. */
    List<JsonNode> calls() {
        return calls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.add(new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes()));
        Answer a = answer;
        if (a == SILENT) {
            unanswered.add(exchange);
            return;
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        unanswered.forEach(HttpExchange::close);
        server.stop(0);
    }
}

package io.tributary.server.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** An HTTP request as route handlers see it: method, decoded path parameters, query, body, client. */
public final class Request {
    private final FullHttpRequest raw;
    private final QueryStringDecoder uri;
    private final Map<String, String> pathParams;
    private final SocketAddress remote;
    private final SocketAddress client;
    private final String principal;

    Request(FullHttpRequest raw, QueryStringDecoder uri, Map<String, String> pathParams, SocketAddress remote,
            SocketAddress client, String principal) {
        this.raw = raw;
        this.uri = uri;
        this.pathParams = pathParams;
        this.remote = remote;
        this.client = client;
        this.principal = principal;
    }

    /**
     * Who the access gate let in ("user admin", "API key", "node node-2", "allow-listed 127.0.0.1"), or null
     * on paths that need nobody.
     */
    public String principal() {
        return principal;
    }

    public HttpMethod method() {
        return raw.method();
    }

    public String path() {
        return uri.path();
    }

    public String param(String name) {
        return pathParams.get(name);
    }

    /** First value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Map<String, List<String>> queryParameters() {
        return uri.parameters();
    }

    public String header(String name) {
        return raw.headers().get(name);
    }

    public String body() {
        return raw.content().toString(StandardCharsets.UTF_8);
    }

    public byte[] bodyBytes() {
        byte[] bytes = new byte[raw.content().readableBytes()];
        raw.content().getBytes(raw.content().readerIndex(), bytes);
        return bytes;
    }

    public boolean hasBody() {
        return raw.content().isReadable();
    }

    /** The peer of the connection: the client, or the proxy in front of it. */
    public SocketAddress remote() {
        return remote;
    }

    /**
     * The client: the peer, unless the peer is a trusted proxy ({@code server.trustedProxies}) that named
     * the client in a PROXY protocol header or {@code X-Forwarded-For} (an address from that header has
     * port 0).
     */
    public SocketAddress client() {
        return client;
    }
}

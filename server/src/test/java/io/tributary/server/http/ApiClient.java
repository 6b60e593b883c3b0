package io.tributary.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.server.testing.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * What a script sees of a node's HTTP API: plain HTTP/1.1 requests, answers as status, headers and body.
 * Tests of the broadcast API and of the HTTP basics share it.
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private final TestNode node;
    private final List<String> headers;

    public ApiClient(TestNode node) {
        this(node, List.of());
    }

    private ApiClient(TestNode node, List<String> headers) {
        this.node = node;
        this.headers = headers;
    }

    /** A client that sends {@code name: value} pairs on every request (e.g. "Authorization", "Bearer ..."). */
    public ApiClient withHeaders(String... nameValuePairs) {
        List<String> all = new ArrayList<>(headers);
        all.addAll(List.of(nameValuePairs));
        return new ApiClient(node, List.copyOf(all));
    }

    /** A client that carries a sign-in token. */
    public ApiClient bearer(String token) {
        return withHeaders("Authorization", "Bearer " + token);
    }

    /** One answer; {@link #json()} parses the body. */
    public record Reply(int status, java.net.http.HttpHeaders headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("body is not JSON (status " + status + "): " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The top-level field names of a JSON object body, in order. */
        public List<String> fieldNames() {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = json().fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            return names;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, String body) {
        return send("POST", path, body);
    }

    public Reply put(String path, String body) {
        return send("PUT", path, body);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    /** {@code body} null sends no body at all; JSON bodies go with {@code Content-Type: application/json}. */
    public Reply send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.httpUrl(path))).timeout(TIMEOUT);
        if (!headers.isEmpty()) {
            b.headers(headers.toArray(String[]::new));
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return send(b.build());
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static HttpClient http() {
        return HTTP;
    }

    /** The URL of a path on the node, for requests built by hand. */
    public URI uri(String path) {
        return URI.create(node.httpUrl(path));
    }

    /** {@code value} as a JSON string literal, quotes and escapes included. */
    public static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}

package io.tributary.server.access;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cluster.broadcast.Json;
import io.tributary.media.Addresses;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamRequest;
import io.tributary.server.http.Jsons;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SRS's HTTP hooks ({@code http_hooks.on_publish}, {@code on_play}): before a publish or play, the node POSTs
 * what is asked, as SRS does, to the application's webhook and goes ahead only when it answers 2xx with the
 * body {@code 0} or a JSON object whose {@code code} is 0. Any other answer refuses (403); no answer within
 * the timeout refuses too (503), so a hook that is down closes the application rather than opening it.
 */
final class AccessWebhook {
    private static final Logger log = LoggerFactory.getLogger(AccessWebhook.class);
    /** The most of a refusing answer's body that goes into the log. */
    private static final int LOGGED_BODY = 200;

    /** The JSON body, with SRS's names. */
    record Call(@JsonProperty("action") String action,
                @JsonProperty("server_id") String serverId,
                @JsonProperty("client_id") String clientId,
                @JsonProperty("ip") String ip,
                @JsonProperty("vhost") String vhost,
                @JsonProperty("app") String app,
                @JsonProperty("stream") String stream,
                @JsonProperty("param") String param,
                @JsonProperty("tcUrl") String tcUrl,
                @JsonProperty("stream_url") String streamUrl,
                @JsonProperty("protocol") String protocol) {
    }

    private final HttpClient client;
    private final Duration timeout;
    private final String serverId;

    AccessWebhook(HttpClient client, Duration timeout, String serverId) {
        this.client = client;
        this.timeout = timeout;
        this.serverId = serverId;
    }

    /**
     * Asks {@code url} whether the request may go ahead.
     *
     * @param action {@code on_publish} or {@code on_play}
     * @param tcUrl the URL of the application on this node, as the client reached it
     * @return completes when allowed; fails with a {@link StreamException} when refused or unanswered
     */
    CompletableFuture<Void> ask(String url, String action, StreamRequest request, String tcUrl) {
        Call call = new Call(action, serverId, HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()),
                Addresses.host(request.remote()), "__defaultVhost__", request.path().app(), request.path().streamId(),
                param(request.params()), tcUrl, "/" + request.path(), request.protocol());
        HttpRequest post;
        try {
            post = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Jsons.bytes(call))).build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new StreamException(StreamException.Reason.UNAVAILABLE,
                    "The " + action + " webhook URL is not usable: " + e.getMessage()));
        }
        return client.sendAsync(post, HttpResponse.BodyHandlers.ofString()).handle((answer, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                log.warn("{} webhook {} did not answer for {} from {}: {}", action, url, request.path(), call.ip(),
                        cause.toString());
                throw new StreamException(StreamException.Reason.UNAVAILABLE, "The " + action
                        + " webhook did not answer; try again later.");
            }
            if (!allows(answer)) {
                String body = answer.body() == null ? "" : answer.body().strip();
                log.info("{} webhook {} refused {} from {}: HTTP {} {}", action, url, request.path(), call.ip(),
                        answer.statusCode(), body.length() > LOGGED_BODY ? body.substring(0, LOGGED_BODY) + "..." : body);
                throw new StreamException(StreamException.Reason.FORBIDDEN, "Refused by the " + action
                        + " webhook (HTTP " + answer.statusCode() + ").");
            }
            return null;
        });
    }

    /** 2xx with {@code 0} or {@code {"code": 0, ...}} in the body. */
    static boolean allows(HttpResponse<String> answer) {
        if (answer.statusCode() / 100 != 2 || answer.body() == null) {
            return false;
        }
        String body = answer.body().strip();
        if (body.equals("0")) {
            return true;
        }
        try {
            JsonNode json = Json.mapper().readTree(body);
            return json != null && json.isObject() && json.path("code").isIntegralNumber()
                    && json.path("code").asLong() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** The query as SRS passes it: {@code ?name=value&...}, or empty. */
    private static String param(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(b.length() == 0 ? '?' : '&').append(encode(k)).append('=').append(encode(v)));
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package io.tributary.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What an operator's backend and a viewer do with a protected node: settings, tokens, plays. */
final class AccessCalls {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestNode node;
    private final ApiClient api;

    AccessCalls(TestNode node) {
        this.node = node;
        this.api = new ApiClient(node);
    }

    /** Changes an application's settings; fails the test unless they were taken. */
    void settings(String app, String json) {
        ApiClient.Reply reply = api.post("/rest/v2/applications/settings/" + app, json);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    /** A one-time token for a {@code type} of {@code app/stream}, valid for ten minutes. */
    String oneTime(String app, String stream, String type) {
        return oneTime(app, stream, type, now() + 600);
    }

    /** A one-time token for a {@code type} of {@code app/stream}, valid until {@code expireDate} (epoch seconds). */
    String oneTime(String app, String stream, String type, long expireDate) {
        ApiClient.Reply reply = api.get("/" + app + "/rest/v2/broadcasts/" + stream + "/token?expireDate="
                + expireDate + "&type=" + type);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("tokenId").asText();
    }

    /** A GET on the node, redirects not followed. */
    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl(path))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A JWT stream token signed with {@code key}, valid for ten minutes. */
    static String jwt(String key, String stream, String type) {
        return JwtStreamTokens.issue(key, stream, type, now() + 600);
    }

    /** The wall clock in epoch seconds, as token expiries are written. */
    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** ffprobe reads two seconds of the 640x360 H.264 test picture at {@code url}. */
    static void assertPlays(String url) {
        Ffmpeg.Probe probe = Ffmpeg.probe(url, 2);
        assertThat(probe.exitCode()).as(url + ": " + probe.stderr()).isZero();
        assertThat(probe.video().codec()).isEqualTo("h264");
        assertThat(probe.video().width()).isEqualTo(640);
        assertThat(probe.video().height()).isEqualTo(360);
        assertThat(probe.audio().codec()).isEqualTo("aac");
        assertThat(probe.packets("video")).hasSizeGreaterThan(20);
    }
}

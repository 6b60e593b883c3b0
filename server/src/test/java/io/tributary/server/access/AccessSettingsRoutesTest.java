package io.tributary.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The access settings in the application settings API and the token endpoints: what they take, what they
 * refuse, and that the JWT key never comes back.
 */
class AccessSettingsRoutesTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef-secret";
    private static TestNode node;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        node = TestNode.builder().set("apps", "live,open").start();
        api = new ApiClient(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void accessControlIsOffUntilSetAndEveryCheckIsShown() {
        JsonNode s = api.get("/rest/v2/applications/settings/open").json();

        for (String flag : new String[] {"publishTokenControlEnabled", "playTokenControlEnabled",
                "publishJwtControlEnabled", "playJwtControlEnabled", "ipFilterEnabled"}) {
            assertThat(s.path(flag).isBoolean()).as(flag).isTrue();
            assertThat(s.path(flag).asBoolean()).as(flag).isFalse();
        }
        for (String text : new String[] {"jwtStreamSecretKey", "allowedPublisherCIDR", "webhookPublishUrl",
                "webhookPlayUrl"}) {
            assertThat(s.path(text).asText("missing")).as(text).isEmpty();
        }
    }

    @Test
    void theKeyIsStoredButNeverShownAndSendingTheMaskBackKeepsIt() {
        ApiClient.Reply set = api.post("/rest/v2/applications/settings/live", "{\"playJwtControlEnabled\": true, "
                + "\"jwtStreamSecretKey\": \"" + KEY + "\", \"allowedPublisherCIDR\": \"10.0.0.0/8, 127.0.0.1\"}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);

        ApiClient.Reply read = api.get("/rest/v2/applications/settings/live");
        assertThat(read.body()).doesNotContain(KEY);
        assertThat(read.json().path("jwtStreamSecretKey").asText()).isEqualTo("********");
        assertThat(read.json().path("playJwtControlEnabled").asBoolean()).isTrue();
        assertThat(read.json().path("allowedPublisherCIDR").asText()).isEqualTo("10.0.0.0/8, 127.0.0.1");

        // A client saving the settings it read sends the mask back: the key stays.
        assertThat(api.post("/rest/v2/applications/settings/live", "{\"jwtStreamSecretKey\": \"********\", "
                + "\"hlsMode\": \"ts\"}").status()).isEqualTo(200);
        ApiClient.Reply jwt = api.get("/live/rest/v2/broadcasts/cam/jwt-token?expireDate=" + inAMinute() + "&type=play");
        assertThat(jwt.status()).as(jwt.toString()).isEqualTo(200);
        assertThat(JwtStreamTokens.looksLikeJwt(jwt.json().path("tokenId").asText())).isTrue();
        org.assertj.core.api.Assertions.assertThatCode(() -> JwtStreamTokens.check(jwt.json().path("tokenId").asText(),
                KEY, "cam", "play", System.currentTimeMillis())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"jwtStreamSecretKey\": \"too short\"}",
        "{\"playJwtControlEnabled\": true}",
        "{\"allowedPublisherCIDR\": \"10.0.0.0/33\"}",
        "{\"allowedPublisherCIDR\": \"publisher.example.com\"}",
        "{\"webhookPublishUrl\": \"ftp://example.com/hook\"}",
        "{\"webhookPlayUrl\": \"not a url\"}",
        "{\"playTokenControlEnabled\": \"yes\"}",
        "{\"playTokenControlEnable\": true}",
        "[]"})
    void aChangeThatCannotWorkIsRefusedAndChangesNothing(String body) {
        long version = api.get("/rest/v2/applications/settings/open").json().path("version").asLong();

        ApiClient.Reply refused = api.post("/rest/v2/applications/settings/open", body);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("success").asBoolean()).isFalse();
        assertThat(api.get("/rest/v2/applications/settings/open").json().path("version").asLong()).isEqualTo(version);
    }

    @Test
    void anEmptyTextClearsASetting() {
        api.post("/rest/v2/applications/settings/open", "{\"webhookPlayUrl\": \"http://127.0.0.1:9/hook\"}");
        assertThat(api.get("/rest/v2/applications/settings/open").json().path("webhookPlayUrl").asText())
                .isEqualTo("http://127.0.0.1:9/hook");

        api.post("/rest/v2/applications/settings/open", "{\"webhookPlayUrl\": \"\"}");
        assertThat(api.get("/rest/v2/applications/settings/open").json().path("webhookPlayUrl").asText()).isEmpty();
    }

    @Test
    void aOneTimeTokenIsAntMediaServersTokenObject() {
        long expiry = inAMinute();
        ApiClient.Reply reply = api.get("/live/rest/v2/broadcasts/cam/token?expireDate=" + expiry + "&type=publish");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.fieldNames()).containsExactly("tokenId", "streamId", "expireDate", "type", "roomId");
        assertThat(reply.json().path("tokenId").asText()).matches("[A-Za-z0-9_-]{24}");
        assertThat(reply.json().path("streamId").asText()).isEqualTo("cam");
        assertThat(reply.json().path("expireDate").asLong()).isEqualTo(expiry);
        assertThat(reply.json().path("type").asText()).isEqualTo("publish");
        assertThat(api.get("/live/rest/v2/broadcasts/cam/token?expireDate=" + expiry + "&type=publish").json()
                .path("tokenId").asText()).isNotEqualTo(reply.json().path("tokenId").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"type=play", "expireDate=NOW&type=view", "expireDate=NOW", "expireDate=1&type=play",
        "expireDate=soon&type=play", "expireDate=99999999999999&type=play"})
    void aTokenRequestWithoutAFutureExpiryOrAKnownTypeIs400(String query) {
        ApiClient.Reply reply = api.get("/live/rest/v2/broadcasts/cam/token?"
                + query.replace("NOW", String.valueOf(inAMinute())));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("success").asBoolean()).isFalse();
    }

    @Test
    void tokensForAnUnknownApplicationAre404AndAJwtNeedsAKey() {
        assertThat(api.get("/nope/rest/v2/broadcasts/cam/token?expireDate=" + inAMinute() + "&type=play").status())
                .isEqualTo(404);
        ApiClient.Reply noKey = api.get("/open/rest/v2/broadcasts/cam/jwt-token?expireDate=" + inAMinute()
                + "&type=play");
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.json().path("message").asText()).contains("jwtStreamSecretKey");
    }

    @Test
    void theTokenEndpointsNeedWhatTheRestApiNeeds() {
        String key = "backend-key-0123456789abcdef";
        try (TestNode closed = TestNode.builder().set("rest.allowedCidrs", "none").set("rest.apiKeys", key).start()) {
            ApiClient client = new ApiClient(closed);
            String path = "/live/rest/v2/broadcasts/cam/token?expireDate=" + inAMinute() + "&type=play";

            assertThat(client.get(path).status()).isEqualTo(401);
            assertThat(client.send(java.net.http.HttpRequest.newBuilder(client.uri(path)).header("X-Api-Key", key)
                    .GET().build()).status()).isEqualTo(200);
        }
    }

    private static long inAMinute() {
        return System.currentTimeMillis() / 1000 + 60;
    }
}

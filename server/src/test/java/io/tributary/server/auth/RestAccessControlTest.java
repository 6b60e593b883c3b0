package io.tributary.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API behind sign-in, as a script or the dashboard meets it on a node that allow-lists nobody:
 * every /rest/v2 and /{app}/rest/v2 call needs a token or an API key; signing in gives a token; users are
 * managed through the API.
 */
class RestAccessControlTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String API_KEY = "script-key-0123456789abcdef";

    private static TestNode node;
    private static ApiClient anonymous;

    @BeforeAll
    static void start() {
        node = TestNode.builder()
                .set("rest.allowedCidrs", "none")
                .set("rest.apiKeys", API_KEY)
                .set("auth.adminUser", "admin")
                .set("auth.adminPassword", PASSWORD)
                .set("auth.maxFailedSignIns", "3")
                .set("auth.failedSignInWindow", "1m")
                .start();
        anonymous = new ApiClient(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void withoutATokenEveryRestCallIsRefusedWith401AndSaysHowToSignIn() {
        for (String path : new String[] {"/rest/v2/cluster/node-count", "/live/rest/v2/broadcasts/count",
                "/rest/v2/users", "/rest/v2/applications/settings/live", "/live/rest/v2/broadcasts/no-such"}) {
            ApiClient.Reply reply = anonymous.get(path);
            assertThat(reply.status()).as(path).isEqualTo(401);
            assertThat(reply.header("WWW-Authenticate")).contains("Bearer realm=\"tributary\"");
            assertThat(reply.json().get("message").asText()).contains("POST /rest/v2/users/authenticate");
        }
        assertThat(anonymous.post("/live/rest/v2/broadcasts/create", "{\"streamId\":\"x\"}").status()).isEqualTo(401);
        assertThat(anonymous.get("/live/rest/v2/broadcasts/x").status()).as("nothing was created").isEqualTo(401);
        assertThat(anonymous.get("/health").status()).as("health stays open for load balancers").isEqualTo(200);
    }

    @Test
    void everySpellingOfARestPathTheRouterAcceptsNeedsASignInToo() {
        String token = signIn("admin", PASSWORD);
        for (String path : new String[] {"//rest/v2/cluster/node-count", "/rest/v2/cluster/node-count/",
                "///live/rest/v2/broadcasts/count", "/live/rest/v2/broadcasts/count//"}) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(401);
            assertThat(anonymous.bearer(token).get(path).status()).as(path + " is a route").isEqualTo(200);
        }
        assertThat(anonymous.post("//rest/v2/users/authenticate/", "{\"email\":\"admin\",\"password\":\""
                + PASSWORD + "\"}").status()).as("signing in stays open however it is spelled").isEqualTo(200);
    }

    @Test
    void signingInGivesATokenThatOpensTheApiOnEveryPath() {
        ApiClient.Reply signIn = anonymous.post("/rest/v2/users/authenticate",
                "{\"email\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(signIn.status()).isEqualTo(200);
        assertThat(signIn.json().get("success").asBoolean()).isTrue();
        assertThat(signIn.json().get("dataId").asText()).isEqualTo("admin");
        long expiresAt = signIn.json().get("expiresAt").asLong();
        assertThat(expiresAt - System.currentTimeMillis()).isBetween(Duration.ofHours(11).toMillis(),
                Duration.ofHours(12).toMillis());

        ApiClient admin = anonymous.bearer(signIn.json().get("token").asText());
        assertThat(admin.get("/rest/v2/cluster/node-count").json().get("number").asInt()).isEqualTo(1);
        assertThat(admin.post("/live/rest/v2/broadcasts/create", "{\"streamId\":\"signed\"}").status()).isEqualTo(200);
        assertThat(admin.get("/live/rest/v2/broadcasts/signed").json().get("streamId").asText()).isEqualTo("signed");
        assertThat(admin.get("/rest/v2/users/current").json().get("username").asText()).isEqualTo("admin");
        assertThat(anonymous.withHeaders("Authorization", "bearer " + signIn.json().get("token").asText())
                .get("/rest/v2/cluster/node-count").status()).as("the scheme in any case").isEqualTo(200);
    }

    @Test
    void forgedTamperedOrGarbageTokensAreRefused() {
        String token = signIn("admin", PASSWORD);
        String[] parts = token.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iss\":\"tributary\",\"aud\":\"tributary-rest\",\"sub\":\"mallory\",\"exp\":9999999999}".getBytes());
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes()) + "." + otherPayload + ".";
        for (String bad : new String[] {parts[0] + "." + otherPayload + "." + parts[2], unsigned, "garbage",
                token.substring(0, token.length() - 2) + "xx", "a.b.c"}) {
            ApiClient.Reply reply = anonymous.bearer(bad).get("/rest/v2/cluster/node-count");
            assertThat(reply.status()).as(bad).isEqualTo(401);
            assertThat(reply.json().get("message").asText()).contains("Invalid or expired");
        }
    }

    @Test
    void anApiKeyOpensTheApiInItsHeaderOrAsABearerToken() {
        assertThat(anonymous.withHeaders("X-Api-Key", API_KEY).get("/live/rest/v2/broadcasts/count").status())
                .isEqualTo(200);
        assertThat(anonymous.bearer(API_KEY).get("/live/rest/v2/broadcasts/count").status()).isEqualTo(200);
        assertThat(anonymous.withHeaders("X-Api-Key", API_KEY + "x").get("/live/rest/v2/broadcasts/count").status())
                .isEqualTo(401);
    }

    @Test
    void usersAreCreatedSignInAndAreDeletedThroughTheApi() {
        ApiClient admin = anonymous.bearer(signIn("admin", PASSWORD));
        assertThat(admin.post("/rest/v2/users", "{\"username\":\"ops\",\"password\":\"short\"}").status())
                .as("too short").isEqualTo(400);
        assertThat(admin.post("/rest/v2/users", "{\"username\":\"ops\",\"password\":\"ops-password-1\"}").status())
                .isEqualTo(200);
        assertThat(admin.post("/rest/v2/users", "{\"username\":\"ops\",\"password\":\"ops-password-2\"}").status())
                .as("taken").isEqualTo(409);
        assertThat(admin.get("/rest/v2/users").json().get("users").findValuesAsText("username"))
                .contains("admin", "ops");
        assertThat(admin.get("/rest/v2/users").body()).doesNotContain("passwordHash").doesNotContain("pbkdf2");

        ApiClient ops = anonymous.bearer(signIn("ops", "ops-password-1"));
        assertThat(ops.get("/rest/v2/users/current").json().get("username").asText()).isEqualTo("ops");
        assertThat(ops.put("/rest/v2/users/ops/password", "{\"password\":\"ops-password-3\"}").status()).isEqualTo(200);
        assertThat(signInReply("ops", "ops-password-1").status()).isEqualTo(401);
        signIn("ops", "ops-password-3");

        assertThat(admin.delete("/rest/v2/users/ops").status()).isEqualTo(200);
        assertThat(admin.delete("/rest/v2/users/ops").status()).isEqualTo(404);
        assertThat(signInReply("ops", "ops-password-3").status()).isEqualTo(401);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswerAndTooManyFromOneAddressGet429() throws Exception {
        // From an address of its own (X-Forwarded-For is not trusted here, so the limiter sees 127.0.0.1 for
        // every test): this test runs on a node of its own.
        try (TestNode limited = TestNode.builder().set("rest.allowedCidrs", "none")
                .set("auth.adminUser", "admin").set("auth.adminPassword", PASSWORD)
                .set("auth.maxFailedSignIns", "3").set("auth.failedSignInWindow", "1m").start()) {
            ApiClient api = new ApiClient(limited);
            ApiClient.Reply wrongPassword = api.post("/rest/v2/users/authenticate",
                    "{\"email\":\"admin\",\"password\":\"not the password\"}");
            ApiClient.Reply unknownUser = api.post("/rest/v2/users/authenticate",
                    "{\"email\":\"nobody\",\"password\":\"" + PASSWORD + "\"}");
            assertThat(wrongPassword.status()).isEqualTo(401);
            assertThat(unknownUser.status()).isEqualTo(401);
            assertThat(unknownUser.body()).isEqualTo(wrongPassword.body())
                    .contains("Wrong user name or password");

            assertThat(api.post("/rest/v2/users/authenticate", "{\"email\":\"admin\",\"password\":\"guess\"}")
                    .status()).isEqualTo(401);
            ApiClient.Reply limitedReply = api.post("/rest/v2/users/authenticate",
                    "{\"email\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
            assertThat(limitedReply.status()).as("even the right password waits").isEqualTo(429);
            assertThat(Long.parseLong(limitedReply.header("Retry-After").orElseThrow())).isBetween(1L, 60L);
            assertThat(limitedReply.json().get("message").asText()).contains("Too many failed sign-ins");
        }
    }

    @Test
    void malformedSignInsAre400AndSayWhy() {
        assertThat(anonymous.post("/rest/v2/users/authenticate", "not json").status()).isEqualTo(400);
        assertThat(anonymous.post("/rest/v2/users/authenticate", null).status()).isEqualTo(400);
        assertThat(anonymous.post("/rest/v2/users/authenticate", "{\"email\":\"admin\",\"pass\":\"x\"}").status())
                .isEqualTo(400);
    }

    @Test
    void aPreflightNamesTheHeadersTheApiTakes() {
        ApiClient.Reply reply = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/rest/v2/users"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://dashboard.example").header("Access-Control-Request-Method", "GET").build());
        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.header("Access-Control-Allow-Headers").orElseThrow()).contains("Authorization", "X-Api-Key");
    }

    @Test
    void byDefaultLoopbackNeedsNoSignInAndAllowListedAddressesBehindATrustedProxyNeedNoneEither() {
        try (TestNode plain = TestNode.start()) {
            assertThat(new ApiClient(plain).get("/rest/v2/cluster/node-count").status())
                    .as("127.0.0.1 is allow-listed by default, as in Ant Media Server").isEqualTo(200);
        }
        try (TestNode behindProxy = TestNode.builder().set("rest.allowedCidrs", "10.0.0.0/8")
                .set("server.trustedProxies", "127.0.0.1").start()) {
            ApiClient api = new ApiClient(behindProxy);
            assertThat(api.withHeaders("X-Forwarded-For", "10.1.2.3").get("/rest/v2/cluster/node-count").status())
                    .isEqualTo(200);
            assertThat(api.withHeaders("X-Forwarded-For", "192.0.2.7").get("/rest/v2/cluster/node-count").status())
                    .isEqualTo(401);
            assertThat(api.get("/rest/v2/cluster/node-count").status()).as("the proxy itself is not allow-listed")
                    .isEqualTo(401);
        }
        try (TestNode untrusting = TestNode.builder().set("rest.allowedCidrs", "10.0.0.0/8").start()) {
            assertThat(new ApiClient(untrusting).withHeaders("X-Forwarded-For", "10.1.2.3")
                    .get("/rest/v2/cluster/node-count").status())
                    .as("X-Forwarded-For from a peer that is not a trusted proxy is ignored").isEqualTo(401);
        }
    }

    private static String signIn(String user, String password) {
        ApiClient.Reply reply = signInReply(user, password);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("token").asText();
    }

    private static ApiClient.Reply signInReply(String user, String password) {
        return anonymous.post("/rest/v2/users/authenticate",
                "{\"username\":" + ApiClient.quote(user) + ",\"password\":" + ApiClient.quote(password) + "}");
    }
}

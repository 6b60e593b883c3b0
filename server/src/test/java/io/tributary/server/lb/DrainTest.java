package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.http.ApiClient;
import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Draining a node before maintenance, as an operator and a load balancer see it. */
class DrainTest {

    @Test
    void aDrainingNodeRefusesNewClientsKeepsItsCurrentOnesAndFailsItsHealthCheck() throws Exception {
        try (TestNode node = TestNode.start(); TestRtmp rtmp = new TestRtmp()) {
            ApiClient api = new ApiClient(node);
            int port = node.node().rtmpPort();
            rtmp.publishFed(port, "before");
            AtomicLong watched = rtmp.play(port, "before").frames();

            Reply drained = api.post(DrainRoutes.PATH, "");

            assertThat(drained.status()).isEqualTo(200);
            assertThat(drained.json().get("success").asBoolean()).isTrue();
            assertThat(drained.json().get("dataId").asText()).isEqualTo(node.node().nodeId());
            assertThat(drained.json().get("message").asText()).contains("is now draining");
            Reply health = api.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("draining");
            assertThat(health.json().get("publishers").asInt()).isEqualTo(1);

            assertThat(rtmp.publishRefusal(port, "after")).isEqualTo("NetStream.Failed");
            assertThat(rtmp.playRefusal(port, "before")).isEqualTo("NetStream.Play.Failed");
            HttpResponse<String> flv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(node.httpUrl("/live/before.flv"))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(flv.statusCode()).isEqualTo(503);
            assertThat(flv.body()).contains("This node is draining: it takes no new publishers/players.");

            long seen = watched.get();
            await().atMost(TestRtmp.TIMEOUT).until(() -> watched.get() > seen + 10);
            assertThat(api.get("/health").json().get("players").asInt()).isEqualTo(1);

            Reply undrained = api.delete(DrainRoutes.PATH);
            assertThat(undrained.status()).isEqualTo(200);
            assertThat(undrained.json().get("message").asText()).contains("no longer drains");
            assertThat(api.get("/health").status()).isEqualTo(200);
            rtmp.publish(port, "after");
            try (InputStream body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(node.httpUrl("/live/before.flv"))).build(),
                    HttpResponse.BodyHandlers.ofInputStream()).body()) {
                assertThat(new String(body.readNBytes(3))).isEqualTo("FLV");
            }
        }
    }

    @Test
    void drainingTwiceOrEndingItTwiceSaysSo() {
        try (TestNode node = TestNode.start()) {
            ApiClient api = new ApiClient(node);

            assertThat(api.delete(DrainRoutes.PATH).json().get("message").asText()).contains("was not draining");
            api.post(DrainRoutes.PATH, "");
            assertThat(api.post(DrainRoutes.PATH, "").json().get("message").asText()).contains("was already draining");
            assertThat(api.get(DrainRoutes.PATH).status()).isEqualTo(405);
        }
    }
}

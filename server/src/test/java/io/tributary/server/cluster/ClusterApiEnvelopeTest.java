package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Misses under /cluster/api answer in the seed's envelope, not in the REST API's shape. */
class ClusterApiEnvelopeTest {

    @Test
    void anUnknownPathOrWrongMethodUnderTheClusterApiAnswersInTheEnvelope() throws Exception {
        try (TestNode node = TestNode.builder().set("cluster.apiKey", "k").start()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(
                    node.httpUrl("/cluster/api/nothing-here"))).header("X-Cluster-Api-Key", "k").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo(
                    "{\"code\":404,\"message\":\"route not found: /cluster/api/nothing-here\",\"data\":null}");

            HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create(
                    node.httpUrl("/cluster/api/servers"))).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.body()).startsWith("{\"code\":405,");
            assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
        }
    }
}

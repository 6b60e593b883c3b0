package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.http.ApiClient;
import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import org.junit.jupiter.api.Test;

/** A client learns which applications a node serves, to list every application's broadcasts. */
class ApplicationsRouteTest {

    @Test
    void theApplicationsAreListedInTheirConfiguredOrder() {
        try (TestNode node = TestNode.builder().set("apps", "live,events,vod").start()) {
            Reply reply = new ApiClient(node).get("/rest/v2/applications");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.fieldNames()).containsExactly("applications");
            assertThat(reply.json().get("applications")).extracting(n -> n.asText())
                    .containsExactly("live", "events", "vod");
        }
    }
}

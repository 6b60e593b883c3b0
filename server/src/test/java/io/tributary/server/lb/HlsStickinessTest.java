package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.testing.HaproxyProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The generated configuration run by the real haproxy in front of two stand-in nodes: every HLS/DASH
 * file of a stream goes to one edge, streams spread over the edges, an edge that drains gives up only
 * its own streams, and the internal endpoints are never let through.
 */
class HlsStickinessTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static List<String> filesOf(String id) {
        return List.of("/live/streams/" + id + ".m3u8", "/live/streams/" + id + "/720p.m3u8",
                "/live/streams/" + id + "/720p/seg-00012.ts", "/live/streams/" + id + "/init.mp4",
                "/live/streams/" + id + ".mpd", "/live/streams/" + id + "/chunk-3.m4s");
    }

    @Test
    void hlsFilesOfAStreamStickToOneEdgeAndOnlyADrainedEdgesStreamsMove() throws Exception {
        try (FakeEdge a = new FakeEdge("edge-a"); FakeEdge b = new FakeEdge("edge-b");
             Haproxy lb = Haproxy.start(a, b)) {
            Map<String, String> edgeOf = new HashMap<>();
            for (String id : IntStream.range(0, 40).mapToObj(i -> "stream." + i).toList()) {
                Set<String> edges = new HashSet<>();
                for (String file : filesOf(id)) {
                    edges.add(get(lb.playPort, file).body());
                }
                assertThat(edges).as("edges serving " + id).hasSize(1);
                edgeOf.put(id, edges.iterator().next());
            }
            assertThat(new HashSet<>(edgeOf.values())).as("streams spread over both edges")
                    .containsExactlyInAnyOrder("edge-a", "edge-b");

            a.drain();
            await().atMost(HaproxyProcess.TIMEOUT).until(() -> "DOWN".equals(
                    lb.process.serverStatus().get("hls_edges/edge-a")));

            for (Map.Entry<String, String> e : edgeOf.entrySet()) {
                assertThat(get(lb.playPort, filesOf(e.getKey()).get(0)).body()).as(e.getKey()).isEqualTo("edge-b");
            }
            assertThat(b.seen()).allSatisfy(seen -> {
                assertThat(seen.forwardedFor()).isEqualTo("127.0.0.1");
                assertThat(seen.forwardedProto()).isEqualTo("http");
            });
        }
    }

    @Test
    void internalEndpointsAreRefusedOnBothHttpPortsAndNeverReachANode() throws Exception {
        try (FakeEdge a = new FakeEdge("edge-a"); FakeEdge b = new FakeEdge("edge-b");
             Haproxy lb = Haproxy.start(a, b)) {
            for (int port : List.of(lb.playPort, lb.publishPort)) {
                for (String path : List.of("/cluster/api/servers", "//cluster/api/servers", "/cluster/api",
                        "/cluster//api/sessions", "/live/rest/cluster-communication/publish-started-notification/x",
                        "//live//rest/cluster-communication/virtual-stream-data-message/r/b",
                        "/rest/v2/cluster/drain", "/metrics", "//metrics")) {
                    assertThat(get(port, path).statusCode()).as(path + " on " + port).isEqualTo(403);
                }
                assertThat(get(port, "/rest/v2/cluster/nodes/0/10").statusCode()).isEqualTo(200);
            }
            assertThat(a.seen()).extracting(FakeEdge.Seen::path).allMatch(p -> p.equals("/rest/v2/cluster/nodes/0/10"));
            assertThat(b.seen()).extracting(FakeEdge.Seen::path).allMatch(p -> p.equals("/rest/v2/cluster/nodes/0/10"));
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** HAProxy with the generated configuration, both stand-ins as origin and edge, on free local ports. */
    private record Haproxy(HaproxyProcess process, int publishPort, int playPort) implements AutoCloseable {
        static Haproxy start(FakeEdge... edges) {
            int publish = HaproxyProcess.freePort();
            int play = HaproxyProcess.freePort();
            int stats = HaproxyProcess.freePort();
            List<LbNode> nodes = java.util.Arrays.stream(edges).map(e -> new LbNode(e.name(), "127.0.0.1",
                    HaproxyProcess.freePort(), e.port(), List.of("origin", "edge"))).toList();
            String config = HaproxyConfig.render(nodes, new HaproxySettings("127.0.0.1", HaproxyProcess.freePort(),
                    publish, play, stats, HaproxyProcess.STATS_USER, HaproxyProcess.STATS_PASSWORD, List.of(), false));
            HaproxyProcess process = HaproxyProcess.run(config, stats);
            Haproxy lb = new Haproxy(process, publish, play);
            await().atMost(HaproxyProcess.TIMEOUT).until(() -> process.serverStatus().entrySet().stream()
                    .allMatch(e -> e.getValue().equals("UP")));
            return lb;
        }

        @Override
        public void close() {
            process.close();
        }
    }
}

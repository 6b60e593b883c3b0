package io.tributary.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packaged node ({@code server/target/tributary.jar}, built before this module in the reactor). */
class TributaryTargetIT {
    private static final Path JAR = Path.of("..", "server", "target", "tributary.jar").toAbsolutePath().normalize();

    @Test
    void startsTheJarPinnedToItsCoreAnsweringHealthAndStopsOnSigterm() throws Exception {
        TributaryTarget.Settings settings = new TributaryTarget.Settings(JAR, List.of("-Xmx256m"), 0, List.of());
        long pid;
        try (TributaryTarget node = TributaryTarget.start(settings)) {
            pid = node.pids().get(0);
            assertThat(node.version()).startsWith("tributary ");
            assertThat(ProcFs.threadAffinities(pid)).as("every thread of the node").hasSizeGreaterThan(5)
                    .containsOnly("0");
            assertThat(node.httpFlvPort()).isPresent();
            HttpResponse<Void> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.httpFlvPort().get() + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Ports.accepts(node.host(), node.rtmpPort())).isTrue();
            assertThat(Sampler.rssKbNow(node.pids())).isGreaterThan(10_000);
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the node after close").isEmpty();
    }

    @Test
    void anEdgeStartedWithOriginNodesIsAnotherProcessOnTheSameCore() {
        TributaryTarget.Settings settings = new TributaryTarget.Settings(JAR, List.of("-Xmx256m"), 0, List.of());
        try (TributaryTarget origin = TributaryTarget.start(settings);
             TributaryTarget edge = TributaryTarget.start(settings.withExtraArgs("--set",
                     "cluster.originNodes=127.0.0.1:" + origin.rtmpPort()))) {
            assertThat(edge.pids()).doesNotContainAnyElementsOf(origin.pids());
            assertThat(edge.rtmpPort()).isNotEqualTo(origin.rtmpPort());
            assertThat(ProcFs.threadAffinities(edge.pids().get(0))).containsOnly("0");
        }
    }
}

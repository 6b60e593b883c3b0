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
            assertThat(node.liveHeapKb().orElseThrow()).as("heap in use after a full collection (jcmd), KB")
                    .isBetween(2_000L, 256_000L);
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the node after close").isEmpty();
    }

    @Test
    void usedHeapAddsTheGenerationsOfSerialAndG1HeapInfo() {
        String serial = """
                 def new generation   total 116224K, used 9556K [0x0000000687400000, 0x000000068f210000)
                  eden space 103360K,   9% used [0x0000000687400000, 0x0000000687d55228)
                  from space 12864K,   0% used [0x000000068e580000, 0x000000068e580000)
                 tenured generation   total 258048K, used 20027K [0x0000000704d50000, 0x0000000714950000)
                   the space 258048K,   7% used [0x0000000704d50000, 0x00000007060defe0)
                 Metaspace       used 26380K, committed 26816K, reserved 1114112K
                """;
        String g1 = """
                 garbage-first heap   total 262144K, used 12345K [0x00000000f0000000, 0x0000000100000000)
                  region size 1024K, 5 young (5120K), 0 survivors (0K)
                 Metaspace       used 26380K, committed 26816K, reserved 1114112K
                """;
        assertThat(TributaryTarget.usedHeapKb(serial)).isEqualTo(9556 + 20027);
        assertThat(TributaryTarget.usedHeapKb(g1)).isEqualTo(12345);
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

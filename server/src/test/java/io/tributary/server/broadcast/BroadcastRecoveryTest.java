package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.store.EmbeddedStore;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broadcasts across node restarts on the same data directory, after a clean stop and after a crash. */
class BroadcastRecoveryTest {

    @TempDir
    Path dataDir;

    @Test
    void createdBroadcastsSurviveARestart() {
        JsonNode before;
        JsonNode list;
        try (TestNode first = TestNode.builder().dataDir(dataDir).start()) {
            BroadcastApi api = new BroadcastApi(first);
            api.create("{\"streamId\":\"keep\",\"name\":\"Keep me\",\"description\":\"d\",\"publish\":false}");
            api.create("other", "Other");
            assertThat(api.put("keep", "{\"name\":\"Kept\"}").status()).isEqualTo(200);
            before = api.record("keep");
            list = api.list("0/10").json();
        }

        try (TestNode second = TestNode.builder().dataDir(dataDir).start()) {
            BroadcastApi api = new BroadcastApi(second);

            assertThat(api.record("keep")).isEqualTo(before);
            assertThat(api.list("0/10").json()).isEqualTo(list);
            assertThat(api.count()).isEqualTo(2);
        }
    }

    @Test
    void aFinishedBroadcastStaysFinishedAcrossARestart() {
        JsonNode finished;
        try (TestNode first = TestNode.builder().dataDir(dataDir).start();
             TestRtmp rtmp = new TestRtmp()) {
            BroadcastApi api = new BroadcastApi(first);
            api.create("show", null);
            rtmp.publish(first, "show").session().close();
            finished = await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.record("show"), b -> "finished".equals(b.get("status").asText()));
        }

        try (TestNode second = TestNode.builder().dataDir(dataDir).start()) {
            assertThat(new BroadcastApi(second).record("show")).isEqualTo(finished);
        }
    }

    @Test
    void afterACrashLiveBroadcastsAreFinishedAndZombisAreRemoved() {
        long startTime = System.currentTimeMillis() - 60_000;
        try (EmbeddedStore store = EmbeddedStore.open(dataDir)) {
            store.create("live", record("crashed", BroadcastStatus.BROADCASTING, false, startTime));
            store.create("live", record("walkin", BroadcastStatus.BROADCASTING, true, startTime));
            store.create("live", record("idle", BroadcastStatus.CREATED, false, 0));
            Broadcast done = record("done", BroadcastStatus.FINISHED, false, startTime);
            done.setDuration(1234);
            store.create("live", done);
        }

        try (TestNode node = TestNode.builder().dataDir(dataDir).start()) {
            BroadcastApi api = new BroadcastApi(node);

            JsonNode crashed = api.record("crashed");
            assertThat(crashed.get("status").asText()).isEqualTo("finished");
            assertThat(crashed.get("rtmpViewerCount").asInt()).isZero();
            assertThat(crashed.get("httpFlvViewerCount").asInt()).isZero();
            assertThat(crashed.get("startTime").asLong()).isEqualTo(startTime);
            assertThat(crashed.get("duration").asLong()).isNotNegative();
            assertThat(api.get("walkin").status()).isEqualTo(404);
            assertThat(api.record("idle").get("status").asText()).isEqualTo("created");
            assertThat(api.record("done").get("status").asText()).isEqualTo("finished");
            assertThat(api.record("done").get("duration").asLong()).isEqualTo(1234);
            assertThat(api.listIds("0/10?sort_by=streamId")).containsExactly("crashed", "done", "idle");
            assertThat(api.activeCount()).isZero();
        }
    }

    private static Broadcast record(String streamId, BroadcastStatus status, boolean zombi, long startTime) {
        Broadcast b = new Broadcast(streamId);
        b.setStatus(status);
        b.setZombi(zombi);
        b.setDate(startTime == 0 ? System.currentTimeMillis() : startTime - 1000);
        b.setStartTime(startTime);
        b.setUpdateTime(startTime == 0 ? b.getDate() : startTime + 30_000);
        b.setPublishType(startTime == 0 ? null : "RTMP");
        b.setRtmpViewerCount(status == BroadcastStatus.BROADCASTING ? 4 : 0);
        b.setHttpFlvViewerCount(status == BroadcastStatus.BROADCASTING ? 2 : 0);
        return b;
    }
}

package io.tributary.cluster.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreException;
import io.tributary.cluster.store.StoreUnavailableException;
import io.tributary.cluster.testing.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Redis with {@code requirepass}: the password in the URI opens it, and a wrong or missing one says so. */
class RedisStoreAuthTest {

    private static final String PASSWORD = "s3cret-pw";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start(RedisProcess.Options.defaults().withPassword(PASSWORD));
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theStoreWorksWithThePasswordInTheUri() throws Exception {
        assertThat(redis.uri()).isEqualTo("redis://" + PASSWORD + "@" + redis.address());
        try (RedisStore store = RedisStore.connect(redis.uri(), TIMEOUT);
             RedisStore peer = RedisStore.connect("redis://default:" + PASSWORD + "@" + redis.address(), TIMEOUT)) {
            List<StoreEvent> heard = new CopyOnWriteArrayList<>();
            try (AutoCloseable sub = store.subscribe(heard::add)) {
                assertThat(peer.create("live", new Broadcast("secured"))).isTrue();
                assertThat(store.get("live", "secured")).isPresent();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(heard)
                        .as("the pub/sub connection authenticated too")
                        .contains(new StoreEvent(StoreEvent.Type.BROADCAST_CHANGED, "live", "secured", 1)));
            }
        }
    }

    @Test
    void aWrongPasswordFailsConnectWithAnAuthenticationMessage() {
        assertThatThrownBy(() -> RedisStore.connect("redis://not-it@" + redis.address(), TIMEOUT))
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("cannot connect to Redis at " + redis.address() + ": authentication failed")
                .hasMessageContaining("wrong user name or password")
                .hasMessageNotContaining("not-it");
    }

    @Test
    void aMissingPasswordFailsConnectWithAnAuthenticationMessage() {
        assertThatThrownBy(() -> RedisStore.connect("redis://" + redis.address(), TIMEOUT))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot connect to Redis at " + redis.address() + ": authentication failed")
                .hasMessageContaining("requires a password and the URI gives none");
    }
}

package io.tributary.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cluster.settings.StreamAccessSettings;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.EmbeddedStore;
import io.tributary.cluster.store.StoreUnavailableException;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamRequest;
import io.tributary.server.hls.HlsAccess;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StreamAccess's decisions without a node: how settings combine, and what it does when it cannot tell. */
class StreamAccessDecisionTest {
    private static final String KEY = StreamAccessTest.KEY;
    private static final StreamPath CAM = new StreamPath("live", "cam");

    @TempDir
    Path dir;
    private ClusterStore store;
    private final AtomicReference<CompletableFuture<StreamAccessSettings>> settings = new AtomicReference<>();
    private StreamAccess access;

    @BeforeEach
    void start() {
        store = EmbeddedStore.open(dir);
        access = new StreamAccess(app -> settings.get(), store, Runnable::run, Duration.ofSeconds(1), "node-1",
                MediaSessions.of(List.of(), Duration.ofHours(1), System::currentTimeMillis),
                (protocol, app) -> protocol + "://node-1/" + app, System::currentTimeMillis);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void withBothKindsOfTokenOnEitherIsAccepted() {
        set(new StreamAccessSettings(null, true, null, true, KEY, null, null, null, null));
        String oneTime = access.oneTimeTokens().create(CAM, "play", AccessCalls.now() + 60, null).tokenId();

        assertThatCode(() -> play(AccessCalls.jwt(KEY, "cam", "play")).join()).doesNotThrowAnyException();
        assertThatCode(() -> play(oneTime).join()).doesNotThrowAnyException();
        assertThat(refusal(play(oneTime))).hasMessageContaining("used up");
        assertThat(refusal(play(AccessCalls.jwt(KEY, "other", "play")))).hasMessageContaining("JWT");
    }

    @Test
    void settingsThatCannotBeReadRefuseRatherThanOpen() {
        settings.set(CompletableFuture.failedFuture(new StoreUnavailableException("redis is down", null)));

        StreamException e = refusal(play("anything"));
        assertThat(e.reason()).isEqualTo(StreamException.Reason.UNAVAILABLE);
        assertThat(e).hasMessageContaining("cannot be read now");
        assertThat(refusal(access.playlist(request("x"))).reason()).isEqualTo(StreamException.Reason.UNAVAILABLE);
    }

    @Test
    void anOpenApplicationAnswersAtOnceAndServesHlsWithoutASession() {
        set(StreamAccessSettings.NONE);

        assertThat(play("")).isCompleted();
        assertThat(access.playlist(request(""))).isCompletedWithValue(HlsAccess.Grant.OPEN);
        assertThat(access.media(request(""))).isCompletedWithValue(HlsAccess.Grant.OPEN);
    }

    @Test
    void jwtControlWithoutAKeyRefusesEveryToken() {
        set(new StreamAccessSettings(null, null, null, true, null, null, null, null, null));

        assertThat(refusal(play(AccessCalls.jwt(KEY, "cam", "play")))).hasMessageContaining("no jwtStreamSecretKey");
    }

    private void set(StreamAccessSettings s) {
        settings.set(CompletableFuture.completedFuture(s));
    }

    private CompletableFuture<Void> play(String token) {
        return access.play(request(token));
    }

    private static StreamRequest request(String token) {
        return new StreamRequest(CAM, token.isEmpty() ? Map.of() : Map.of("token", token),
                new InetSocketAddress("127.0.0.1", 40000), "flv");
    }

    private static StreamException refusal(CompletableFuture<?> f) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(f::join).satisfies(t -> caught[0] = t.getCause());
        assertThat(caught[0]).isInstanceOf(StreamException.class);
        return (StreamException) caught[0];
    }
}

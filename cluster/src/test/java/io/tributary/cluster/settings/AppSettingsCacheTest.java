package io.tributary.cluster.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.membership.FaultyStore;
import io.tributary.cluster.store.EmbeddedStore;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreUnavailableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' settings caches over one store: a change written through one reaches the other through the
 * store's events, and reads after the first never wait on the store.
 */
class AppSettingsCacheTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dataDir;

    private EmbeddedStore store;
    private FaultyStore storeOfB;
    private ExecutorService executorOfA;
    private ExecutorService executorOfB;
    private AppSettingsCache a;
    private AppSettingsCache b;
    private AutoCloseable subscription;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dataDir);
        storeOfB = new FaultyStore(store);
        executorOfA = Executors.newSingleThreadExecutor();
        executorOfB = Executors.newSingleThreadExecutor();
        a = new AppSettingsCache(store, executorOfA);
        b = new AppSettingsCache(storeOfB, executorOfB);
    }

    @AfterEach
    void close() throws Exception {
        if (subscription != null) {
            subscription.close();
        }
        executorOfA.shutdownNow();
        executorOfB.shutdownNow();
        executorOfA.awaitTermination(2, TimeUnit.SECONDS);
        executorOfB.awaitTermination(2, TimeUnit.SECONDS);
        store.close();
    }

    private static AppSettings acceptUndefined(boolean accept) {
        return new AppSettings(accept, 0, 1_700_000_000_000L);
    }

    @Test
    void settingsNeverWrittenAreNone() {
        assertThat(a.get("live")).isEqualTo(AppSettings.NONE);
    }

    @Test
    void aChangeIsStoredAndSeenAtOnceByTheNodeThatMadeIt() {
        AppSettings saved = a.put("live", acceptUndefined(false));

        assertThat(saved.version()).isEqualTo(1);
        assertThat(saved.acceptUndefinedStreams()).isFalse();
        assertThat(a.get("live")).isEqualTo(saved);
        assertThat(store.appSettings("live")).isEqualTo(saved);
        assertThat(a.put("live", acceptUndefined(true)).version()).isEqualTo(2);
        assertThat(a.get("live").acceptUndefinedStreams()).isTrue();
    }

    @Test
    void theFirstReadGoesToTheStoreAndLaterReadsDoNot() {
        store.putAppSettings("live", acceptUndefined(false));
        assertThat(b.get("live").acceptUndefinedStreams()).isFalse();

        storeOfB.down(true);

        assertThat(b.get("live").acceptUndefinedStreams()).isFalse();
        assertThat(storeOfB.refusedCalls()).isZero();
    }

    @Test
    void aChangeMadeOnAnotherNodeArrivesThroughTheStoreEvents() {
        subscription = store.subscribe(b::onStoreEvent);
        assertThat(b.get("live")).isEqualTo(AppSettings.NONE);

        a.put("live", acceptUndefined(false));

        await().atMost(WAIT).until(() -> Boolean.FALSE.equals(b.get("live").acceptUndefinedStreams()));
        assertThat(b.get("live").version()).isEqualTo(1);
    }

    @Test
    void anEventNoNewerThanTheCacheIsNotFetched() {
        a.put("live", acceptUndefined(false));
        a.put("live", acceptUndefined(true));
        assertThat(b.get("live").version()).isEqualTo(2);
        storeOfB.down(true); // any read would show here

        b.onStoreEvent(new StoreEvent(StoreEvent.Type.SETTINGS_CHANGED, "live", null, 1));
        b.onStoreEvent(new StoreEvent(StoreEvent.Type.SETTINGS_CHANGED, "live", null, 2));

        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> storeOfB.refusedCalls() == 0);
    }

    @Test
    void aReloadBringsChangesWhoseEventsWereLost() {
        assertThat(b.get("live")).isEqualTo(AppSettings.NONE);
        a.put("live", acceptUndefined(false)); // b is not subscribed: the event is lost for it

        b.reloadAll();

        assertThat(b.get("live").acceptUndefinedStreams()).isFalse();
    }

    @Test
    void whileTheStoreIsDownAFirstReadIsNoneAndIsNotRemembered() {
        store.putAppSettings("live", acceptUndefined(false));
        storeOfB.down(true);

        assertThat(b.get("live")).isEqualTo(AppSettings.NONE);

        storeOfB.down(false);
        assertThat(b.get("live").acceptUndefinedStreams()).isFalse();
    }

    @Test
    void aReloadWhileTheStoreIsDownKeepsWhatWasCached() {
        store.putAppSettings("live", acceptUndefined(false));
        b.get("live");
        storeOfB.down(true);

        b.reloadAll();

        assertThat(b.get("live").acceptUndefinedStreams()).isFalse();
    }

    @Test
    void aChangeWhileTheStoreIsDownFailsAndChangesNothing() {
        storeOfB.down(true);

        assertThatThrownBy(() -> b.put("live", acceptUndefined(false))).isInstanceOf(StoreUnavailableException.class);

        storeOfB.down(false);
        assertThat(b.get("live")).isEqualTo(AppSettings.NONE);
    }
}

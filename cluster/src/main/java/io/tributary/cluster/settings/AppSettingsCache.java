package io.tributary.cluster.settings;

import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreUnavailableException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applications' shared settings as this node last read them from the store. A change written on any
 * node reaches the others through the store's event feed; a periodic reload covers lost events.
 */
public final class AppSettingsCache {
    private static final Logger log = LoggerFactory.getLogger(AppSettingsCache.class);

    private final ClusterStore store;
    private final Executor storeExecutor;
    private final Map<String, AppSettings> cache = new ConcurrentHashMap<>();

    public AppSettingsCache(ClusterStore store, Executor storeExecutor) {
        this.store = store;
        this.storeExecutor = storeExecutor;
    }

    /** The cached settings; the first call for an app reads the store (callers are on the store executor). */
    public AppSettings get(String app) {
        try {
            return require(app);
        } catch (StoreUnavailableException e) {
            return AppSettings.NONE;
        }
    }

    /** The cached settings, without reading the store; empty when the app was never read. */
    public Optional<AppSettings> cached(String app) {
        return Optional.ofNullable(cache.get(app));
    }

    /**
     * As {@link #get}, but a store that cannot be read is an error rather than "nothing set": access control
     * must not open an application because its settings could not be read.
     *
     * @throws StoreUnavailableException when the settings are not cached and the store does not answer
     */
    public AppSettings require(String app) {
        AppSettings s = cache.get(app);
        return s != null ? s : cache.computeIfAbsent(app, store::appSettings);
    }

    /** Writes new settings to the store and to this node's cache at once. */
    public AppSettings put(String app, AppSettings settings) {
        AppSettings saved = store.putAppSettings(app, settings);
        cache.merge(app, saved, (old, neu) -> neu.version() >= old.version() ? neu : old);
        return saved;
    }

    public void onStoreEvent(StoreEvent event) {
        if (event.type() == StoreEvent.Type.SETTINGS_CHANGED) {
            AppSettings cached = cache.get(event.app());
            if (cached == null || cached.version() < event.version()) {
                storeExecutor.execute(() -> reload(event.app()));
            }
        }
    }

    /** Re-reads every cached app (the periodic resync). */
    public void reloadAll() {
        for (String app : cache.keySet()) {
            reload(app);
        }
    }

    private void reload(String app) {
        try {
            AppSettings fresh = store.appSettings(app);
            cache.merge(app, fresh, (old, neu) -> neu.version() >= old.version() ? neu : old);
            log.debug("settings of {} now at version {}", app, fresh.version());
        } catch (StoreUnavailableException e) {
            log.debug("could not reload the settings of {}: {}", app, e.getMessage());
        }
    }
}

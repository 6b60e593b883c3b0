package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.settings.AppSettingsCache;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Jsons;
import io.tributary.server.http.NotFoundException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Result;
import io.tributary.server.http.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Ant Media Server's application settings API, {@code /rest/v2/applications/settings/{app}}: settings
 * stored in the cluster store, so a change made through any node applies on every node.
 */
public final class AppSettingsRoutes {

    private final AppSettingsCache settings;
    private final Predicate<String> apps;
    private final AppSettings nodeDefaults;
    private final ExecutorService storeExecutor;
    private final LongSupplier wallClock;

    /** @param nodeDefaults this node's own configuration for what an application has not stored */
    AppSettingsRoutes(AppSettingsCache settings, Predicate<String> apps, AppSettings nodeDefaults,
                      ExecutorService storeExecutor, LongSupplier wallClock) {
        this.settings = settings;
        this.apps = apps;
        this.nodeDefaults = nodeDefaults;
        this.storeExecutor = storeExecutor;
        this.wallClock = wallClock;
    }

    /** The settings as they apply: stored values where set, this node's configuration elsewhere. */
    public record Effective(@JsonProperty("acceptUndefinedStreams") boolean acceptUndefinedStreams,
                            @JsonProperty("hlsMode") String hlsMode,
                            @JsonProperty("hlsAlwaysOn") boolean hlsAlwaysOn,
                            @JsonProperty("version") long version) {
    }

    /** What a client may change; absent fields are left as they are. */
    public record Change(@JsonProperty("acceptUndefinedStreams") Boolean acceptUndefinedStreams,
                         @JsonProperty("hlsMode") String hlsMode,
                         @JsonProperty("hlsAlwaysOn") Boolean hlsAlwaysOn) {
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/rest/v2/applications/settings/{app}", this::get)
                .add(HttpMethod.POST, "/rest/v2/applications/settings/{app}", this::change)
                .add(HttpMethod.PUT, "/rest/v2/applications/settings/{app}", this::change);
    }

    private Response get(Request r) throws Exception {
        String app = app(r);
        AppSettings s = CompletableFuture.supplyAsync(() -> settings.get(app), storeExecutor).get();
        return Response.ok(new Effective(or(s.acceptUndefinedStreams(), nodeDefaults.acceptUndefinedStreams()),
                or(s.hlsMode(), nodeDefaults.hlsMode()), or(s.hlsAlwaysOn(), nodeDefaults.hlsAlwaysOn()),
                s.version()));
    }

    private static <T> T or(T stored, T node) {
        return stored != null ? stored : node;
    }

    private Response change(Request r) throws Exception {
        String app = app(r);
        Change change = r.hasBody() ? Jsons.read(r.body(), Change.class) : null;
        if (change == null || change.acceptUndefinedStreams() == null && change.hlsMode() == null
                && change.hlsAlwaysOn() == null) {
            throw new BadRequestException("give the settings to change, e.g. {\"acceptUndefinedStreams\": false} "
                    + "or {\"hlsMode\": \"llhls\", \"hlsAlwaysOn\": true}");
        }
        if (change.hlsMode() != null && !change.hlsMode().matches("ts|fmp4|llhls")) {
            throw new BadRequestException("hlsMode is '" + change.hlsMode() + "': use ts, fmp4 or llhls");
        }
        AppSettings saved = CompletableFuture.supplyAsync(() -> {
            AppSettings current = settings.get(app);
            return settings.put(app, new AppSettings(or(change.acceptUndefinedStreams(),
                    current.acceptUndefinedStreams()), or(change.hlsMode(), current.hlsMode()),
                    or(change.hlsAlwaysOn(), current.hlsAlwaysOn()), current.version(), wallClock.getAsLong()));
        }, storeExecutor).get();
        return Response.ok(new Result(true, "version " + saved.version(), app));
    }

    private String app(Request r) {
        String app = r.param("app");
        if (!apps.test(app)) {
            throw new NotFoundException("No application " + app + ".");
        }
        return app;
    }
}

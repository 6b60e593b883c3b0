package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.settings.AppSettingsCache;
import io.tributary.cluster.settings.StreamAccessSettings;
import io.tributary.server.access.AccessSettingsRules;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Jsons;
import io.tributary.server.http.NotFoundException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Result;
import io.tributary.server.http.Router;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Ant Media Server's application settings API, {@code /rest/v2/applications/settings/{app}}: settings
 * stored in the cluster store, so a change made through any node applies on every node.
 */
public final class AppSettingsRoutes {

    /** The names of the access settings, which a change body holds beside the others, flat. */
    private static final Set<String> ACCESS_FIELDS = Arrays.stream(StreamAccessSettings.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());

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

    /**
     * The settings as they apply: stored values where set, this node's configuration elsewhere (access
     * control: off where not set, the JWT key masked), all in one flat object as in Ant Media Server.
     */
    public record Effective(@JsonProperty("acceptUndefinedStreams") boolean acceptUndefinedStreams,
                            @JsonProperty("hlsMode") String hlsMode,
                            @JsonProperty("hlsAlwaysOn") boolean hlsAlwaysOn,
                            @JsonUnwrapped StreamAccessSettings access,
                            @JsonProperty("version") long version) {
    }

    /** What a client may change besides access control; absent fields are left as they are. */
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
                AccessSettingsRules.view(s.accessOrNone()), s.version()));
    }

    private static <T> T or(T stored, T node) {
        return stored != null ? stored : node;
    }

    private Response change(Request r) throws Exception {
        String app = app(r);
        JsonNode body = r.hasBody() ? Jsons.read(r.body(), JsonNode.class) : null;
        if (body == null || !body.isObject()) {
            throw new BadRequestException("give the settings to change as a JSON object, e.g. "
                    + "{\"acceptUndefinedStreams\": false}");
        }
        ObjectNode accessBody = ((ObjectNode) body).deepCopy();
        accessBody.retain(ACCESS_FIELDS);
        ((ObjectNode) body).remove(ACCESS_FIELDS);
        Change change = convert(body, Change.class);
        StreamAccessSettings accessChange = convert(accessBody, StreamAccessSettings.class);
        if (change.acceptUndefinedStreams() == null && change.hlsMode() == null && change.hlsAlwaysOn() == null
                && accessChange.equals(StreamAccessSettings.NONE)) {
            throw new BadRequestException("give the settings to change, e.g. {\"acceptUndefinedStreams\": false} "
                    + "or {\"hlsMode\": \"llhls\", \"hlsAlwaysOn\": true}");
        }
        if (change.hlsMode() != null && !change.hlsMode().matches("ts|fmp4|llhls")) {
            throw new BadRequestException("hlsMode is '" + change.hlsMode() + "': use ts, fmp4 or llhls");
        }
        // Read, check and write in one store-executor task, so that two changes on this node cannot interleave.
        CompletableFuture<AppSettings> put = CompletableFuture.supplyAsync(() -> {
            AppSettings current = settings.require(app);
            StreamAccessSettings access = AccessSettingsRules.apply(current.accessOrNone(), accessChange);
            return settings.put(app, new AppSettings(or(change.acceptUndefinedStreams(),
                    current.acceptUndefinedStreams()), or(change.hlsMode(), current.hlsMode()),
                    or(change.hlsAlwaysOn(), current.hlsAlwaysOn()),
                    access.equals(StreamAccessSettings.NONE) ? null : access, current.version(),
                    wallClock.getAsLong()));
        }, storeExecutor);
        AppSettings saved;
        try {
            saved = put.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        return Response.ok(new Result(true, "version " + saved.version(), app));
    }

    private static <T> T convert(JsonNode json, Class<T> type) {
        try {
            return Json.mapper().treeToValue(json, type);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("invalid JSON body: " + e.getOriginalMessage());
        }
    }

    private String app(Request r) {
        String app = r.param("app");
        if (!apps.test(app)) {
            throw new NotFoundException("No application " + app + ".");
        }
        return app;
    }
}

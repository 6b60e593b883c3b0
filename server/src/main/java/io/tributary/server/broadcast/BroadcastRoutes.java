package io.tributary.server.broadcast;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.store.BroadcastQuery;
import io.tributary.cluster.store.BroadcastStore;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Jsons;
import io.tributary.server.http.NotFoundException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Result;
import io.tributary.server.http.Router;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Ant Media Server's broadcast REST API under {@code /{app}/rest/v2/broadcasts}: create, get, list,
 * update, delete, counts and viewer statistics, in its JSON shapes.
 */
public final class BroadcastRoutes {
    private static final String BASE = "/{app}/rest/v2/broadcasts";
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BroadcastStore store;
    private final StreamRegistry registry;
    private final Predicate<String> apps;
    private final Executor storeExecutor;
    private final LongSupplier clock;
    private final ViewerTotals elsewhere;

    public BroadcastRoutes(BroadcastStore store, StreamRegistry registry, Predicate<String> apps,
                           Executor storeExecutor, LongSupplier clock, ViewerTotals elsewhere) {
        this.elsewhere = elsewhere;
        this.store = store;
        this.registry = registry;
        this.apps = apps;
        this.storeExecutor = storeExecutor;
        this.clock = clock;
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, BASE + "/create", this::create)
                .add(HttpMethod.GET, BASE + "/list/{offset}/{size}", this::list)
                .add(HttpMethod.GET, BASE + "/count", this::count)
                .add(HttpMethod.GET, BASE + "/active-live-stream-count", this::activeCount)
                .add(HttpMethod.GET, BASE + "/total-broadcast-statistics", this::totalStatistics)
                .add(HttpMethod.GET, BASE + "/{id}/broadcast-statistics", this::statistics)
                .add(HttpMethod.GET, BASE + "/{id}/subtracks/{offset}/{size}", this::subtracks)
                .add(HttpMethod.GET, BASE + "/{id}/subtrack-count", this::subtrackCount)
                .add(HttpMethod.GET, BASE + "/{id}", this::get)
                .add(HttpMethod.PUT, BASE + "/{id}", this::update)
                .add(HttpMethod.DELETE, BASE + "/{id}", this::delete);
    }

    /**
     * The per-protocol viewer totals of one broadcast (Ant Media Server's BroadcastStatistics, plus
     * HTTP-FLV), across the cluster. WebRTC is not served by this version, so its count is truly 0.
     */
    public record Statistics(@JsonProperty("totalRTMPWatchersCount") int rtmp,
                             @JsonProperty("totalHttpFlvWatchersCount") int httpFlv,
                             @JsonProperty("totalHLSWatchersCount") int hls,
                             @JsonProperty("totalWebRTCWatchersCount") int webRtc,
                             @JsonProperty("totalDASHWatchersCount") int dash) {
        static Statistics of(Broadcast b) {
            return new Statistics(b.getRtmpViewerCount(), b.getHttpFlvViewerCount(), b.getHlsViewerCount(), 0,
                    b.getDashViewerCount());
        }
    }

    /** The viewer totals of an application (Ant Media Server's AppBroadcastStatistics). */
    public record AppStatistics(@JsonProperty("totalRTMPWatchersCount") int rtmp,
                                @JsonProperty("totalHttpFlvWatchersCount") int httpFlv,
                                @JsonProperty("totalHLSWatchersCount") int hls,
                                @JsonProperty("totalWebRTCWatchersCount") int webRtc,
                                @JsonProperty("totalDASHWatchersCount") int dash,
                                @JsonProperty("activeLiveStreamCount") int activeLiveStreamCount) {
    }

    /** Ant Media Server's SimpleStat: {@code {"number": n}}. */
    public record Count(@JsonProperty("number") long number) {
    }

    private Response create(Request r) {
        String app = app(r);
        Broadcast body = r.hasBody() ? Jsons.read(r.body(), Broadcast.class) : null;
        if (body == null) {
            body = new Broadcast(); // no body, or a JSON null: create with defaults, as Ant Media Server does
        }
        checkType(body.getType());
        String id = body.getStreamId();
        if (id == null || id.isEmpty()) {
            id = newStreamId();
        } else if (!StreamIds.isValid(id)) {
            throw new BadRequestException(invalidId(id));
        }
        long now = clock.getAsLong();
        Broadcast b = clientFields(body);
        b.setStreamId(id);
        b.setStatus(BroadcastStatus.CREATED);
        b.setDate(now);
        b.setUpdateTime(now);
        String created = id;
        boolean ok = onStore(() -> store.create(app, b));
        if (!ok) {
            return Response.error(HttpResponseStatus.CONFLICT, "Stream id " + created + " is already in use.");
        }
        if (b.getMainTrackStreamId() != null) {
            linkSubtrack(app, b.getMainTrackStreamId(), created, true);
        }
        return Response.ok(view(app, onStore(() -> store.get(app, created)).orElseThrow()));
    }

    private Response get(Request r) {
        String app = app(r);
        String id = id(r);
        return Response.ok(view(app, existing(app, id)));
    }

    private Response list(Request r) {
        String app = app(r);
        int offset = intParam(r, "offset");
        int size = intParam(r, "size");
        // Ant Media Server's panel sends empty parameters for "not given".
        String sortBy = blankToNull(r.query("sort_by"));
        String order = blankToNull(r.query("order_by"));
        if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
            throw new BadRequestException("order_by must be asc or desc, not '" + order + "'");
        }
        BroadcastQuery query;
        try {
            query = new BroadcastQuery(sortBy, "desc".equalsIgnoreCase(order), r.query("search"));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("sort_by: " + e.getMessage());
        }
        List<Broadcast> page = onStore(() -> store.list(app, offset, size, query));
        return Response.ok(page.stream().map(b -> view(app, b)).toList());
    }

    private Response count(Request r) {
        String app = app(r);
        return Response.ok(new Count(onStore(() -> store.count(app))));
    }

    /** Streams being published anywhere in the cluster (not relay copies): the store's broadcasting records. */
    private Response activeCount(Request r) {
        String app = app(r);
        return Response.ok(new Count(onStore(() -> store.countByStatus(app, BroadcastStatus.BROADCASTING))));
    }

    private Response totalStatistics(Request r) {
        String app = app(r);
        List<Broadcast> live = onStore(() -> store.all().getOrDefault(app, List.of())).stream()
                .filter(b -> b.getStatus() == BroadcastStatus.BROADCASTING).toList();
        int rtmp = 0;
        int flv = 0;
        int hls = 0;
        int dash = 0;
        for (Broadcast b : live) {
            Broadcast v = view(app, b);
            rtmp += v.getRtmpViewerCount();
            flv += v.getHttpFlvViewerCount();
            hls += v.getHlsViewerCount();
            dash += v.getDashViewerCount();
        }
        return Response.ok(new AppStatistics(rtmp, flv, hls, 0, dash, live.size()));
    }

    private Response statistics(Request r) {
        String app = app(r);
        String id = id(r);
        Broadcast stored = existing(app, id);
        return Response.ok(Statistics.of(view(app, stored)));
    }

    /** Keeps a main track's subTrackStreamIds in step with its subtracks (as Ant Media Server does). */
    private void linkSubtrack(String app, String mainId, String subId, boolean add) {
        if (!StreamIds.isValid(mainId)) {
            return;
        }
        onStore(() -> store.update(app, mainId, main -> {
            List<String> subs = new java.util.ArrayList<>(main.getSubTrackStreamIds() == null ? List.of()
                    : main.getSubTrackStreamIds());
            subs.remove(subId);
            if (add) {
                subs.add(subId);
            }
            main.setSubTrackStreamIds(subs);
            return main;
        }));
    }

    /** The broadcasts whose mainTrackStreamId is this one (optionally of one role), in creation order. */
    private Response subtracks(Request r) {
        String app = app(r);
        String id = id(r);
        existing(app, id);
        int offset = intParam(r, "offset");
        int size = Math.min(50, intParam(r, "size"));
        List<Broadcast> subs = subtracksOf(app, id, blankToNull(r.query("role")));
        return Response.ok(subs.subList(Math.min(offset, subs.size()), (int) Math.min(subs.size(), (long) offset + size)).stream()
                .map(b -> view(app, b)).toList());
    }

    private Response subtrackCount(Request r) {
        String app = app(r);
        String id = id(r);
        existing(app, id);
        return Response.ok(new Count(subtracksOf(app, id, blankToNull(r.query("role"))).size()));
    }

    private List<Broadcast> subtracksOf(String app, String mainId, String role) {
        List<Broadcast> all = onStore(() -> store.all().getOrDefault(app, List.of()));
        return all.stream()
                .filter(b -> mainId.equals(b.getMainTrackStreamId()))
                .filter(b -> role == null || role.equals(b.getRole()))
                .sorted(java.util.Comparator.comparingLong(Broadcast::getDate).thenComparing(Broadcast::getStreamId))
                .toList();
    }

    private Response update(Request r) {
        String app = app(r);
        String id = id(r);
        if (!r.hasBody()) {
            throw new BadRequestException("a JSON body with the fields to change is required");
        }
        Broadcast body = Jsons.read(r.body(), Broadcast.class);
        if (body == null) {
            throw new BadRequestException("a JSON body with the fields to change is required");
        }
        checkType(body.getType());
        if (body.getStreamId() != null && !body.getStreamId().equals(id)) {
            throw new BadRequestException("streamId cannot be changed (path says " + id + ", body says "
                    + body.getStreamId() + ")");
        }
        Map<String, Object> given = Jsons.read(r.body(), Map.class);
        long now = clock.getAsLong();
        var updated = onStore(() -> store.update(app, id, current -> {
            if (given.containsKey("name")) {
                current.setName(body.getName());
            }
            if (given.containsKey("description")) {
                current.setDescription(body.getDescription());
            }
            if (given.containsKey("publish")) {
                current.setPublish(body.isPublish());
            }
            if (given.containsKey("type")) {
                current.setType(body.getType());
            }
            if (given.containsKey("role")) {
                current.setRole(body.getRole());
            }
            if (given.containsKey("mainTrackStreamId")) {
                current.setMainTrackStreamId(body.getMainTrackStreamId());
            }
            if (given.containsKey("subTrackStreamIds")) {
                current.setSubTrackStreamIds(body.getSubTrackStreamIds());
            }
            current.setUpdateTime(now);
            return current;
        }));
        if (updated.isEmpty()) {
            throw new NotFoundException("No broadcast " + id + " in " + app + ".");
        }
        return Response.ok(Result.success(id));
    }

    private Response delete(Request r) {
        String app = app(r);
        String id = id(r);
        // Ending a live stream may remove its record first (a zombi goes with its publisher); either
        // way the broadcast existed and is gone now.
        Broadcast gone = existing(app, id);
        registry.find(new StreamPath(app, id)).ifPresent(s -> s.end("broadcast deleted"));
        onStore(() -> store.delete(app, id));
        if (gone.getMainTrackStreamId() != null) {
            linkSubtrack(app, gone.getMainTrackStreamId(), id, false);
        }
        return Response.ok(Result.success(id));
    }

    private Broadcast view(String app, Broadcast stored) {
        LiveStream s = registry.find(new StreamPath(app, stored.getStreamId())).orElse(null);
        return BroadcastViews.live(stored, s, clock.getAsLong(), elsewhere, app + "/" + stored.getStreamId());
    }

    private Broadcast existing(String app, String id) {
        return onStore(() -> store.get(app, id))
                .orElseThrow(() -> new NotFoundException("No broadcast " + id + " in " + app + "."));
    }

    private String app(Request r) {
        String app = r.param("app");
        if (!apps.test(app)) {
            throw new NotFoundException("No application " + app + ".");
        }
        return app;
    }

    private static String id(Request r) {
        String id = r.param("id");
        if (!StreamIds.isValid(id)) {
            throw new BadRequestException(invalidId(id));
        }
        return id;
    }

    private static String invalidId(String id) {
        return "Invalid stream id '" + id + "': use 1 to " + StreamIds.MAX_LENGTH
                + " letters, digits, '_', '-' or '.'.";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Only live streams exist in this version; other Ant Media Server types would be records that do nothing. */
    private static void checkType(String type) {
        if (type != null && !type.equals("liveStream")) {
            throw new BadRequestException("type '" + type + "' is not supported: this server has liveStream broadcasts");
        }
    }

    private static int intParam(Request r, String name) {
        try {
            int v = Integer.parseInt(r.param(name));
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be a whole number of 0 or more, not '" + r.param(name) + "'");
        }
    }

    private static Broadcast clientFields(Broadcast body) {
        Broadcast b = new Broadcast();
        b.setName(body.getName());
        b.setDescription(body.getDescription());
        b.setPublish(body.isPublish());
        b.setType(body.getType() == null ? "liveStream" : body.getType());
        b.setRole(body.getRole());
        b.setMainTrackStreamId(body.getMainTrackStreamId());
        b.setSubTrackStreamIds(body.getSubTrackStreamIds());
        return b;
    }

    private static String newStreamId() {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Store calls go through the store executor so that they are ordered with publish events. */
    private <T> T onStore(java.util.function.Supplier<T> call) {
        try {
            return CompletableFuture.supplyAsync(call, storeExecutor).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}

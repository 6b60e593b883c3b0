package io.tributary.server.cluster;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.media.Addresses;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Jsons;
import io.tributary.server.http.NotFoundException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Result;
import io.tributary.server.http.Router;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ant Media Server's internal cluster communication, under each application's REST root: other nodes tell
 * this one that a stream started or stopped on them, or pass on a conference room message. Only cluster
 * tokens from nodes of this cluster are accepted; a refused call changes nothing.
 */
public final class ClusterCommunicationRoutes {
    private static final Logger log = LoggerFactory.getLogger(ClusterCommunicationRoutes.class);
    private static final String BASE = "/{app}/rest/cluster-communication";

    /** Delivers a room message that arrived from another node to this node's participants. */
    @FunctionalInterface
    public interface RoomDelivery {
        void deliver(String app, String room, boolean binary, byte[] data);
    }

    private final ClusterAuth auth;
    private final StreamDirectory directory;
    private final ClusterStore store;
    private final Executor storeExecutor;
    private final Predicate<String> apps;
    private final RoomDelivery rooms;

    ClusterCommunicationRoutes(ClusterAuth auth, StreamDirectory directory, ClusterStore store, Executor storeExecutor,
                               Predicate<String> apps, RoomDelivery rooms) {
        this.auth = auth;
        this.directory = directory;
        this.store = store;
        this.storeExecutor = storeExecutor;
        this.apps = apps;
        this.rooms = rooms;
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, BASE + "/publish-started-notification/{id}", r -> streamNotification(r, true))
                .add(HttpMethod.POST, BASE + "/publish-stopped-notification/{id}", r -> streamNotification(r, false))
                .add(HttpMethod.POST, BASE + "/virtual-stream-data-message/{id}/{binary}", this::roomMessage);
    }

    private Response streamNotification(Request r, boolean started) {
        Optional<Response> refused = authorize(r);
        if (refused.isPresent()) {
            return refused.get();
        }
        String app = app(r);
        String id = id(r);
        String what = started ? "publish-started-notification" : "publish-stopped-notification";
        if (!r.hasBody()) {
            // Ant Media Server's own notification carries only the id: read the record from the store.
            storeExecutor.execute(() -> store.get(app, id).ifPresentOrElse(
                    b -> directory.apply(DirectoryEntry.of(app, b)),
                    () -> directory.lookup(app, id).ifPresent(e ->
                            directory.apply(DirectoryEntry.deleted(app, id, e.version() + 1, e.generation())))));
            log.info("{} for {}/{} (no body: reading the store)", what, app, id);
            return Response.ok(new Result(true, null, id));
        }
        DirectoryEntry entry = Jsons.read(r.body(), DirectoryEntry.class);
        if (entry == null || !app.equals(entry.app()) || !id.equals(entry.streamId())) {
            throw new BadRequestException("the body must be the directory entry of " + app + "/" + id);
        }
        boolean known = directory.lookup(app, id).isPresent();
        if (!started && !known) {
            log.debug("{} for {}/{}, which this node does not know: ignored", what, app, id);
            return Response.ok(new Result(true, "no such stream here; ignored", id));
        }
        boolean applied = directory.apply(entry);
        if (applied) {
            log.info("{} for {}/{}: origin {}, version {}", what, app, id, entry.originNode(), entry.version());
        } else {
            log.debug("{} for {}/{} version {}: already known", what, app, id, entry.version());
        }
        return Response.ok(new Result(true, applied ? null : "older than what this node has; ignored", id));
    }

    private Response roomMessage(Request r) {
        Optional<Response> refused = authorize(r);
        if (refused.isPresent()) {
            return refused.get();
        }
        String app = app(r);
        String room = id(r);
        String binary = r.param("binary");
        if (!"true".equals(binary) && !"false".equals(binary)) {
            throw new BadRequestException("binary must be true or false, not '" + binary + "'");
        }
        rooms.deliver(app, room, Boolean.parseBoolean(binary), r.bodyBytes());
        return Response.ok(new Result(true, null, room));
    }

    private Optional<Response> authorize(Request r) {
        return auth.nodeToken(r).map(why -> {
            log.warn("refused a cluster call {} from {}: {}", r.path(), Addresses.format(r.remote()), why);
            return Response.error(HttpResponseStatus.UNAUTHORIZED, why);
        });
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
            throw new BadRequestException("Invalid stream id '" + id + "'.");
        }
        return id;
    }
}

package io.tributary.server.access;

import io.netty.handler.codec.http.HttpMethod;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.settings.StreamAccessSettings;
import io.tributary.media.StreamPath;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.NotFoundException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Ant Media Server's token endpoints: {@code GET /{app}/rest/v2/broadcasts/{id}/token} makes a one-time token,
 * {@code GET .../{id}/jwt-token} a JWT stream token signed with the application's key; both take
 * {@code expireDate} (epoch seconds) and {@code type} ({@code publish} or {@code play}) and answer a Token.
 */
public final class TokenRoutes {
    private static final String BASE = "/{app}/rest/v2/broadcasts/{id}";
    /** 9999-12-31T23:59:59Z: later dates are typing mistakes, and would overflow in milliseconds. */
    private static final long LAST_DATE = 253_402_300_799L;

    private final StreamAccess access;
    private final Predicate<String> apps;
    private final Executor storeExecutor;
    private final LongSupplier wallClock;

    public TokenRoutes(StreamAccess access, Predicate<String> apps, Executor storeExecutor, LongSupplier wallClock) {
        this.access = access;
        this.apps = apps;
        this.storeExecutor = storeExecutor;
        this.wallClock = wallClock;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, BASE + "/token", this::oneTime)
                .add(HttpMethod.GET, BASE + "/jwt-token", this::jwt);
    }

    /** What both endpoints ask for. */
    private record Ask(StreamPath path, long expireDate, String type, String roomId) {
    }

    private Response oneTime(Request r) {
        Ask ask = ask(r);
        return Response.ok(join(CompletableFuture.supplyAsync(() -> access.oneTimeTokens().create(ask.path(),
                ask.type(), ask.expireDate(), ask.roomId()), storeExecutor)));
    }

    private Response jwt(Request r) {
        Ask ask = ask(r);
        StreamAccessSettings s = join(access.settings(ask.path().app()));
        if (s.jwtStreamSecretKey() == null) {
            throw new BadRequestException("Application " + ask.path().app() + " has no jwtStreamSecretKey: set one "
                    + "in its settings first.");
        }
        String jwt = JwtStreamTokens.issue(s.jwtStreamSecretKey(), ask.path().streamId(), ask.type(), ask.expireDate());
        return Response.ok(new Token(jwt, ask.path().streamId(), ask.expireDate(), ask.type(), ask.roomId()));
    }

    private Ask ask(Request r) {
        String app = r.param("app");
        if (!apps.test(app)) {
            throw new NotFoundException("No application " + app + ".");
        }
        String id = r.param("id");
        if (!StreamIds.isValid(id)) {
            throw new BadRequestException("Invalid stream id '" + id + "'.");
        }
        String type = r.query("type");
        if (!StreamAccess.PUBLISH.equals(type) && !StreamAccess.PLAY.equals(type)) {
            throw new BadRequestException("type is " + (type == null ? "missing" : "'" + type + "'")
                    + ": use type=publish or type=play.");
        }
        String text = r.query("expireDate");
        long expireDate;
        try {
            expireDate = text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            expireDate = -1;
        }
        long now = wallClock.getAsLong() / 1000;
        if (expireDate <= now || expireDate > LAST_DATE) {
            throw new BadRequestException("expireDate is " + (text == null ? "missing" : "'" + text + "'")
                    + ": give the time the token expires, in seconds since 1970, in the future (now is " + now
                    + ").");
        }
        return new Ask(new StreamPath(app, id), expireDate, type, r.query("roomId"));
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}

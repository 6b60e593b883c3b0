package io.tributary.server.access;

import io.tributary.cluster.settings.StreamAccessSettings;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamRequest;
import io.tributary.server.hls.HlsAccess;
import io.tributary.server.lb.Cidr;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Who may publish and play an application's streams, by the application's access settings (Ant Media
 * Server's names): JWT stream tokens and one-time tokens in {@code ?token=}, the publishers' address
 * allow-list, and SRS-style webhooks. An application with none of them on is open and costs nothing here.
 * Refusals are StreamExceptions: UNAUTHORIZED (no token), FORBIDDEN (a token, address or webhook said no),
 * UNAVAILABLE (the settings or the webhook could not be asked). Relay pulls between nodes never come here:
 * the origin trusts the edge's cluster token, and the edge checked its own viewer.
 */
public final class StreamAccess implements HlsAccess {
    /** The URL parameter tokens come in, as in Ant Media Server. */
    public static final String TOKEN = "token";
    static final String PUBLISH = "publish";
    static final String PLAY = "play";
    private static final CompletableFuture<Void> ALLOWED = CompletableFuture.completedFuture(null);

    private final Function<String, CompletableFuture<StreamAccessSettings>> settings;
    private final OneTimeTokens oneTimeTokens;
    private final Executor storeExecutor;
    private final AccessWebhook webhook;
    private final MediaSessions sessions;
    private final BiFunction<String, String, String> tcUrls;
    private final LongSupplier wallClock;

    /**
     * @param settings an application's access settings, at once when cached; fails when they cannot be read
     * @param storeExecutor where one-time tokens are used (store calls never run on the network threads)
     * @param webhookTimeout how long a webhook may take to answer
     * @param serverId this node's id, for the webhooks' {@code server_id}
     * @param tcUrls for a protocol and an application, its URL on this node (for the webhooks' {@code tcUrl})
     */
    public StreamAccess(Function<String, CompletableFuture<StreamAccessSettings>> settings, ClusterStore store,
                        Executor storeExecutor, Duration webhookTimeout, String serverId, MediaSessions sessions,
                        BiFunction<String, String, String> tcUrls, LongSupplier wallClock) {
        if (webhookTimeout.isNegative() || webhookTimeout.isZero()) {
            throw new IllegalArgumentException("stream.access.webhookTimeout must be more than 0");
        }
        this.settings = settings;
        this.oneTimeTokens = new OneTimeTokens(store, wallClock);
        this.storeExecutor = storeExecutor;
        this.webhook = new AccessWebhook(HttpClient.newBuilder().connectTimeout(webhookTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build(), webhookTimeout, serverId);
        this.sessions = sessions;
        this.tcUrls = tcUrls;
        this.wallClock = wallClock;
    }

    OneTimeTokens oneTimeTokens() {
        return oneTimeTokens;
    }

    /**
     * The application's access settings (at once when cached); fails as UNAVAILABLE when they cannot be read,
     * so that an unreadable store never opens an application.
     */
    CompletableFuture<StreamAccessSettings> settings(String app) {
        CompletableFuture<StreamAccessSettings> read = settings.apply(app);
        if (read.isDone() && !read.isCompletedExceptionally()) {
            return read;
        }
        return read.exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof StreamException se) {
                throw se;
            }
            throw new StreamException(StreamException.Reason.UNAVAILABLE, "The access settings of " + app
                    + " cannot be read now: " + cause.getMessage());
        });
    }

    /** Completes when the publish may go ahead. */
    public CompletableFuture<Void> publish(StreamRequest request) {
        return settings(request.path().app()).thenCompose(s -> check(request, PUBLISH, s));
    }

    /** Completes when the play may go ahead; a one-time token is used up by it. */
    public CompletableFuture<Void> play(StreamRequest request) {
        return settings(request.path().app()).thenCompose(s -> check(request, PLAY, s));
    }

    @Override
    public CompletableFuture<Grant> playlist(StreamRequest request) {
        return settings(request.path().app()).thenCompose(s -> {
            if (!s.playChecked()) {
                return CompletableFuture.completedFuture(Grant.OPEN);
            }
            String session = request.params().get(MediaSessions.PARAM);
            if (session != null) {
                return CompletableFuture.completedFuture(session(session, request.path()));
            }
            return check(request, PLAY, s).thenApply(v ->
                    new Grant(MediaSessions.PARAM + "=" + sessions.issue(request.path()), true));
        });
    }

    @Override
    public CompletableFuture<Grant> media(StreamRequest request) {
        return settings(request.path().app()).thenApply(s -> {
            if (!s.playChecked()) {
                return Grant.OPEN;
            }
            String session = request.params().get(MediaSessions.PARAM);
            if (session == null) {
                throw new StreamException(StreamException.Reason.UNAUTHORIZED, "The media of " + request.path()
                        + " needs the " + MediaSessions.PARAM + " parameter: play its playlist, with a token.");
            }
            return session(session, request.path());
        });
    }

    private Grant session(String session, StreamPath path) {
        Optional<String> refused = sessions.check(session, path);
        if (refused.isPresent()) {
            throw new StreamException(StreamException.Reason.FORBIDDEN, "Refused: " + refused.get() + ".");
        }
        return new Grant(MediaSessions.PARAM + "=" + session, false);
    }

    private CompletableFuture<Void> check(StreamRequest request, String type, StreamAccessSettings s) {
        boolean publish = type.equals(PUBLISH);
        if (publish ? !s.publishChecked() : !s.playChecked()) {
            return ALLOWED;
        }
        if (publish && StreamAccessSettings.on(s.ipFilterEnabled())) {
            checkAddress(request, s.allowedPublisherCIDR());
        }
        CompletableFuture<Void> tokens = checkToken(request, type,
                StreamAccessSettings.on(publish ? s.publishJwtControlEnabled() : s.playJwtControlEnabled()),
                StreamAccessSettings.on(publish ? s.publishTokenControlEnabled() : s.playTokenControlEnabled()),
                s.jwtStreamSecretKey());
        String hook = publish ? s.webhookPublishUrl() : s.webhookPlayUrl();
        return hook == null ? tokens : tokens.thenCompose(v -> webhook.ask(hook, "on_" + type, request,
                tcUrls.apply(request.protocol(), request.path().app())));
    }

    /**
     * With both kinds of token on, a token that has the shape of a JWT is checked as one, any other as a
     * one-time token.
     */
    private CompletableFuture<Void> checkToken(StreamRequest request, String type, boolean jwt, boolean oneTime,
                                               String key) {
        if (!jwt && !oneTime) {
            return ALLOWED;
        }
        String token = request.params().get(TOKEN);
        if (token == null || token.isEmpty()) {
            throw new StreamException(StreamException.Reason.UNAUTHORIZED, "To " + type + " " + request.path()
                    + " you need a " + type + " token: add ?" + TOKEN + "=... to the URL.");
        }
        if (jwt && (!oneTime || JwtStreamTokens.looksLikeJwt(token))) {
            if (key == null) {
                throw new StreamException(StreamException.Reason.FORBIDDEN, "JWT stream tokens are required in "
                        + request.path().app() + " but it has no jwtStreamSecretKey to check them with.");
            }
            JwtStreamTokens.check(token, key, request.path().streamId(), type, wallClock.getAsLong());
            return ALLOWED;
        }
        return CompletableFuture.runAsync(() -> oneTimeTokens.use(token, request.path(), type), storeExecutor);
    }

    private static void checkAddress(StreamRequest request, String allowed) {
        String host = request.remote() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(request.remote());
        if (allowed != null && request.remote() instanceof InetSocketAddress a && a.getAddress() != null) {
            for (String block : allowed.split(",")) {
                if (!block.isBlank() && Cidr.parse(block).contains(a.getAddress())) {
                    return;
                }
            }
        }
        throw new StreamException(StreamException.Reason.FORBIDDEN, "Publishing to " + request.path().app()
                + " from " + host + " is not allowed (the address is not in allowedPublisherCIDR).");
    }
}

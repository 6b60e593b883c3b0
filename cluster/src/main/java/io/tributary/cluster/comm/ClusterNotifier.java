package io.tributary.cluster.comm;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.directory.DirectoryAnnouncer;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.node.NodeRecord;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every other live node what happened here (seed 000's cluster communication): a stream started or
 * stopped, or a conference room message. Each notification goes to all peers in parallel over HTTP(S),
 * authenticated with a cluster token addressed to that peer, with a short timeout and a few retries, off
 * the media path. Receivers apply the directory entry at once, without asking the store.
 */
public final class ClusterNotifier implements DirectoryAnnouncer {
    private static final Logger log = LoggerFactory.getLogger(ClusterNotifier.class);

    /** Timeout of one attempt, retries after the first, and the pause before a retry. */
    public record Settings(Duration timeout, int retries, Duration retryDelay) {
    }

    private final Membership membership;
    private final ClusterTokens tokens;
    private final HttpClient http;
    private final String scheme;
    private final Settings settings;
    private final ScheduledExecutorService retryTimer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Set<String> refusedBy = ConcurrentHashMap.newKeySet();
    /** Notifications sent or waiting for a retry and not yet settled; guarded by {@code this}. */
    private int pending;

    public ClusterNotifier(Membership membership, ClusterTokens tokens, HttpClient http, String scheme,
                           Settings settings, ScheduledExecutorService retryTimer) {
        this.membership = membership;
        this.tokens = tokens;
        this.http = http;
        this.scheme = scheme;
        this.settings = settings;
        this.retryTimer = retryTimer;
    }

    @Override
    public void published(DirectoryEntry entry) {
        toAll(entry.app(), "publish-started-notification/" + encode(entry.streamId()) + trackQuery(entry),
                json(entry), "application/json");
    }

    @Override
    public void unpublished(DirectoryEntry entry) {
        toAll(entry.app(), "publish-stopped-notification/" + encode(entry.streamId()) + trackQuery(entry),
                json(entry), "application/json");
    }

    /** A conference room message from a participant on this node, for the room's participants elsewhere. */
    public void virtualStreamData(String app, String room, boolean binary, byte[] data) {
        toAll(app, "virtual-stream-data-message/" + encode(room) + "/" + binary, data,
                binary ? "application/octet-stream" : "text/plain; charset=utf-8");
    }

    public long sentCount() {
        return sent.get();
    }

    public long failedCount() {
        return failed.get();
    }

    /**
     * Waits, up to {@code timeout}, for the notifications already sent to settle. A node that leaves calls
     * this before its record goes: a peer checks the token of a notification against the nodes it knows.
     *
     * @return whether all settled in time
     */
    public synchronized boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void begin() {
        pending++;
    }

    private synchronized void settled() {
        if (--pending == 0) {
            notifyAll();
        }
    }

    private void toAll(String app, String pathAndQuery, byte[] body, String contentType) {
        for (NodeRecord peer : membership.peers()) {
            URI uri = URI.create(scheme + "://" + host(peer.internal()) + ":" + peer.httpPort() + "/" + encode(app)
                    + "/rest/cluster-communication/" + pathAndQuery);
            begin();
            attempt(peer, uri, body, contentType, 0);
        }
    }

    private void attempt(NodeRecord peer, URI uri, byte[] body, String contentType, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Authorization", "Bearer " + tokens.issue(peer.id(), Map.of()))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                sent.incrementAndGet();
                refusedBy.remove(peer.id());
                settled();
                return;
            }
            if (error == null && (response.statusCode() == 401 || response.statusCode() == 403)) {
                failed.incrementAndGet();
                if (refusedBy.add(peer.id())) {
                    log.warn("node {} refused this node's cluster token ({}): are both given the same "
                            + "cluster.secret?", peer.id(), response.body());
                }
                settled();
                return;
            }
            String why = error != null ? error.toString() : "HTTP " + response.statusCode();
            if (attempt < settings.retries()) {
                try {
                    retryTimer.schedule(() -> attempt(peer, uri, body, contentType, attempt + 1),
                            settings.retryDelay().toMillis() * (attempt + 1), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    failed.incrementAndGet();
                    settled();
                }
            } else {
                failed.incrementAndGet();
                if (membership.peers().stream().anyMatch(p -> p.id().equals(peer.id()))) {
                    log.warn("notification {} to node {} failed after {} attempts: {}", uri.getPath(), peer.id(),
                            attempt + 1, why);
                } else {
                    log.debug("notification {} to node {} dropped: that node has left", uri.getPath(), peer.id());
                }
                settled();
            }
        });
    }

    private static String trackQuery(DirectoryEntry e) {
        StringBuilder q = new StringBuilder();
        if (e.role() != null) {
            q.append("role=").append(encode(e.role()));
        }
        if (e.mainTrackStreamId() != null) {
            q.append(q.length() > 0 ? "&" : "").append("mainTrackId=").append(encode(e.mainTrackStreamId()));
        }
        return q.length() == 0 ? "" : "?" + q;
    }

    private static byte[] json(DirectoryEntry entry) {
        try {
            return Json.mapper().writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a directory entry as JSON", e);
        }
    }

    private static String host(String address) {
        return address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

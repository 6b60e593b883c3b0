package io.tributary.server.hls;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who watches a stream over HLS or DASH. Players fetch a playlist (or manifest) and segments every few
 * seconds and carry no session, so a viewer is a client (its address and User-Agent) seen fetching within
 * the last few target durations; it counts as a DASH viewer once it has asked for the manifest.
 */
final class HlsSessions {
    private record Seen(long nanos, boolean dash) {
    }

    /** Viewers by protocol. */
    record Counts(int hls, int dash) {
    }

    private final Map<String, Seen> clients = new ConcurrentHashMap<>();

    /** A playlist or manifest request: sets which protocol the client plays. */
    void asked(String client, boolean dash, long nanos) {
        clients.put(client, new Seen(nanos, dash));
    }

    /** A media request: the client is still watching, with whatever it asked for last. */
    void fetched(String client, long nanos) {
        clients.compute(client, (k, old) -> new Seen(nanos, old != null && old.dash()));
    }

    /** Clients seen within {@code windowNanos} of {@code nowNanos}; forgets the others. */
    Counts count(long nowNanos, long windowNanos) {
        clients.values().removeIf(s -> nowNanos - s.nanos() > windowNanos);
        int dash = 0;
        for (Seen s : clients.values()) {
            if (s.dash()) {
                dash++;
            }
        }
        return new Counts(clients.size() - dash, dash);
    }
}

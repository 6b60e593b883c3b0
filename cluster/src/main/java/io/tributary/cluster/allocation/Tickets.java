package io.tributary.cluster.allocation;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The tickets this node has handed out, in memory: only their count per node and expiry matter, since a
 * ticket is never redeemed, it just runs out. Not thread-safe: {@link AllocationManager} holds its lock.
 */
final class Tickets {
    /**
     * Bounds the memory a flood of redirects can take (HTTP-FLV redirects are open to anyone); past it a
     * node's count simply stays at the cap, which is far above any sensible subscriber threshold anyway.
     */
    static final int MAX_PER_NODE = 65_536;

    private final long ttlMillis;
    private final LongSupplier wallClock;
    /** Expiry times per node, oldest first (every ticket lives the same TTL). */
    private final Map<String, ArrayDeque<Long>> byNode = new HashMap<>();

    Tickets(long ttlMillis, LongSupplier wallClock) {
        this.ttlMillis = ttlMillis;
        this.wallClock = wallClock;
    }

    Ticket reserve(String serverId, AllocationKind kind, String streamPath) {
        long expiresAt = wallClock.getAsLong() + ttlMillis;
        ArrayDeque<Long> expiries = byNode.computeIfAbsent(serverId, id -> new ArrayDeque<>());
        if (expiries.size() >= MAX_PER_NODE) {
            expiries.pollFirst();
        }
        expiries.addLast(expiresAt);
        return new Ticket(UUID.randomUUID().toString(), serverId, kind, streamPath, expiresAt);
    }

    /** Unexpired tickets on a node. */
    int outstanding(String serverId) {
        ArrayDeque<Long> expiries = byNode.get(serverId);
        if (expiries == null) {
            return 0;
        }
        long now = wallClock.getAsLong();
        while (!expiries.isEmpty() && expiries.peekFirst() <= now) {
            expiries.pollFirst();
        }
        if (expiries.isEmpty()) {
            byNode.remove(serverId);
            return 0;
        }
        return expiries.size();
    }
}

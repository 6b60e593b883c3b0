package io.tributary.server.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Limits wrong passwords per client address: after {@code maxFailures} failed sign-ins within {@code window},
 * that address may not try again until the oldest of them is older than the window. A successful sign-in
 * clears the address. Remembers at most {@value #MAX_ADDRESSES} addresses (the least recently failed go
 * first), so a flood of addresses cannot grow memory without bound.
 */
public final class SignInLimiter {
    static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final long windowMs;
    private final LongSupplier clock;
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public SignInLimiter(int maxFailures, Duration window, LongSupplier clock) {
        this.maxFailures = maxFailures;
        this.windowMs = window.toMillis();
        this.clock = clock;
    }

    /** How long the address must wait before it may try again; zero when it may try now. */
    public synchronized Duration waitBefore(String address) {
        Deque<Long> times = failures.get(address);
        if (times == null) {
            return Duration.ZERO;
        }
        long now = clock.getAsLong();
        while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
            times.pollFirst();
        }
        if (times.isEmpty()) {
            failures.remove(address);
            return Duration.ZERO;
        }
        return times.size() < maxFailures ? Duration.ZERO : Duration.ofMillis(times.peekFirst() + windowMs - now);
    }

    public synchronized void failed(String address) {
        failures.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(clock.getAsLong());
        Deque<Long> times = failures.get(address);
        while (times.size() > maxFailures) {
            times.pollFirst();
        }
    }

    public synchronized void succeeded(String address) {
        failures.remove(address);
    }
}

package io.tributary.bench.load;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls for I/O at most once per interval, so that data piles up in the socket buffers and one read
 * takes several messages. On loopback most of a player's cost is the kernel's per read (the receive
 * call, and the acknowledgement it sends, which loopback processes on the reader's thread), not the
 * bytes; fewer, larger reads cut it by the factor they are larger. The price is up to one interval of
 * added latency on every frame and on every task given to the loop, so it is for load levels, never for
 * latency measurements.
 */
final class PacedIoHandler implements IoHandler {
    private final IoHandler delegate;
    private final long intervalNanos;
    private long lastPoll;

    private PacedIoHandler(IoHandler delegate, long intervalNanos) {
        this.delegate = delegate;
        this.intervalNanos = intervalNanos;
    }

    /** {@code handlers} unchanged for a zero interval, else each of its handlers paced. */
    static IoHandlerFactory pace(IoHandlerFactory handlers, Duration interval) {
        if (interval.isZero()) {
            return handlers;
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative read interval " + interval);
        }
        long nanos = interval.toNanos();
        return executor -> new PacedIoHandler(handlers.newHandler(executor), nanos);
    }

    @Override
    public int run(IoHandlerContext context) {
        long wait = lastPoll + intervalNanos - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        lastPoll = System.nanoTime();
        return delegate.run(context);
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }
}

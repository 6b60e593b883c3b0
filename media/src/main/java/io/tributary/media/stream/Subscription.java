package io.tributary.media.stream;

import java.util.concurrent.atomic.AtomicBoolean;

/** A subscriber's membership in a stream; cancelling it stops delivery and updates the viewer counts. */
public final class Subscription {
    private final LiveStream stream;
    private final Subscriber subscriber;
    private final FanoutGroup group;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    Subscription(LiveStream stream, Subscriber subscriber, FanoutGroup group) {
        this.stream = stream;
        this.subscriber = subscriber;
        this.group = group;
    }

    public LiveStream stream() {
        return stream;
    }

    public Subscriber subscriber() {
        return subscriber;
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Stops delivery; safe to call from any thread, any number of times. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            stream.unsubscribed(this);
            group.post((Runnable) () -> group.remove(this));
        }
    }
}

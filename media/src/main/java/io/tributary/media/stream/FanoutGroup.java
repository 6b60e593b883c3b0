package io.tributary.media.stream;

import io.netty.util.concurrent.EventExecutor;
import io.tributary.media.Frame;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one stream that live on one event loop. The publisher hands each frame to the
 * group once (not to every subscriber), and the group's task, running on the loop, writes the whole
 * batch of pending frames to every subscriber and then flushes each one once. Cross-thread cost is per
 * loop, not per player, and syscalls are per batch, not per frame.
 */
final class FanoutGroup implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(FanoutGroup.class);

    private final EventExecutor executor;
    private final Queue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Touched only on {@link #executor}. */
    private final ArrayList<Subscription> members = new ArrayList<>();

    FanoutGroup(EventExecutor executor) {
        this.executor = executor;
    }

    /** Queues a frame (whose reference the group takes over), an event, or a membership change. */
    void post(Object item) {
        inbox.add(item);
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RuntimeException rejected) {
                // The loop is shutting down: nobody will read the inbox again.
                scheduled.set(false);
                drainWithoutDelivery();
            }
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        Object item;
        boolean delivered = false;
        while ((item = inbox.poll()) != null) {
            if (item instanceof Frame frame) {
                try {
                    for (int i = 0; i < members.size(); i++) {
                        Subscription s = members.get(i);
                        if (s.isCancelled()) {
                            // Its removal is queued behind this frame; cancelling means no more frames now.
                            members.remove(i--);
                            continue;
                        }
                        try {
                            s.subscriber().onFrame(frame);
                        } catch (RuntimeException e) {
                            fail(s, e);
                            i--;
                        }
                    }
                } finally {
                    frame.release();
                }
                delivered = true;
            } else if (item instanceof StreamEvent event) {
                flushAll();
                for (Subscription s : new ArrayList<>(members)) {
                    if (!s.isCancelled()) {
                        deliverEvent(s, event);
                    }
                }
                if (event == StreamEvent.ENDED) {
                    members.clear();
                }
            } else {
                ((Runnable) item).run();
            }
        }
        if (delivered) {
            flushAll();
        }
    }

    /** A new member joining with its snapshot; a named task so that an undelivered one can be cleaned up. */
    record Join(FanoutGroup group, Subscription subscription, StreamSnapshot snapshot) implements Runnable {
        @Override
        public void run() {
            group.add(subscription, snapshot);
        }
    }

    /** Runs on the loop: a new member gets its snapshot before any frame queued after it. */
    void add(Subscription s, StreamSnapshot snapshot) {
        try {
            if (s.isCancelled()) {
                return;
            }
            members.add(s);
            s.subscriber().onStart(snapshot);
            s.subscriber().onFlush();
        } catch (RuntimeException e) {
            fail(s, e);
        } finally {
            snapshot.release();
        }
    }

    /** Runs on the loop. */
    void remove(Subscription s) {
        members.remove(s);
    }

    private void flushAll() {
        for (int i = 0; i < members.size(); i++) {
            Subscription s = members.get(i);
            try {
                s.subscriber().onFlush();
            } catch (RuntimeException e) {
                fail(s, e);
                i--;
            }
        }
    }

    private void deliverEvent(Subscription s, StreamEvent event) {
        try {
            s.subscriber().onEvent(event);
        } catch (RuntimeException e) {
            fail(s, e);
        }
    }

    /** A subscriber that throws is dropped so that it cannot disturb the others. */
    private void fail(Subscription s, RuntimeException e) {
        log.warn("{} subscriber of {} failed and was removed: {}", s.subscriber().protocol(), s.stream().path(),
                e.toString(), e);
        members.remove(s);
        s.cancel();
        try {
            s.subscriber().onEvent(StreamEvent.ENDED);
        } catch (RuntimeException ignored) {
            // Already failing; the removal above is what matters.
        }
    }

    private void drainWithoutDelivery() {
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof Frame frame) {
                frame.release();
            } else if (item instanceof Join join) {
                join.snapshot().release();
                join.subscription().cancel();
            }
        }
    }
}

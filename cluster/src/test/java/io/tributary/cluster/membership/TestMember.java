package io.tributary.cluster.membership;

import io.tributary.cluster.node.NodeIdentity;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.store.ClusterStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One node's membership for a test, on its own single timer thread, with a listener that records what it
 * decides. Several share one store to stand for several nodes. Closing it is a clean shutdown.
 */
public final class TestMember implements AutoCloseable {

    private final Membership membership;
    private final ScheduledExecutorService timer;
    private final RecordingListener events = new RecordingListener();
    private final CountDownLatch thawed = new CountDownLatch(1);

    private TestMember(Membership membership, ScheduledExecutorService timer) {
        this.membership = membership;
        this.timer = timer;
        membership.addListener(events);
    }

    /** A period of 100 ms, suspect after 2 missed, dead after 4: the seed's ratios, fifty times faster. */
    public static MembershipSettings fast() {
        return new MembershipSettings(Duration.ofMillis(100), 2, 4);
    }

    /** The record template of a node on loopback. */
    public static NodeRecord template(String nodeId, String instance) {
        return new NodeRecord(nodeId, instance, "127.0.0.1", "127.0.0.1", 1935, 5080, List.of("origin", "edge"),
                "test", 0, -1, null, 0, 0);
    }

    /** Builds (without starting) a member with its own identity and timer. */
    public static TestMember create(ClusterStore store, String nodeId, String instance, MembershipSettings settings,
                                    LongSupplier nanoClock) {
        return create(store, template(nodeId, instance), settings, nanoClock);
    }

    /** As {@link #create(ClusterStore, String, String, MembershipSettings, LongSupplier)} with its own record. */
    public static TestMember create(ClusterStore store, NodeRecord template, MembershipSettings settings,
                                    LongSupplier nanoClock) {
        String nodeId = template.id();
        String instance = template.instance();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "membership-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        NodeIdentity identity = new NodeIdentity(nodeId, instance);
        Membership m = new Membership(store, identity, () -> template, () -> NodeLoad.IDLE,
                settings, timer, nanoClock, System::currentTimeMillis);
        return new TestMember(m, timer);
    }

    /** Builds and starts a member on the real monotonic clock; the instance token is "{nodeId}-1". */
    public static TestMember start(ClusterStore store, String nodeId, MembershipSettings settings) {
        return start(store, nodeId, settings, System::nanoTime);
    }

    public static TestMember start(ClusterStore store, String nodeId, MembershipSettings settings,
                                   LongSupplier nanoClock) {
        return create(store, nodeId, nodeId + "-1", settings, nanoClock).started();
    }

    /** Starts a member built with {@link #create}. */
    public TestMember started() {
        try {
            membership.start();
        } catch (RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
        return this;
    }

    public Membership membership() {
        return membership;
    }

    public RecordingListener events() {
        return events;
    }

    public String id() {
        return membership.selfId();
    }

    /**
     * The node freezes (a hung process, a long GC pause, SIGSTOP): its timer thread blocks, so no more
     * heartbeats, polls or judgement, and nothing runs again until {@link #thaw()} or {@link #close()}.
     */
    public void freeze() {
        timer.execute(() -> {
            try {
                thawed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A frozen node carries on where it stopped, without knowing time passed. */
    public void thaw() {
        thawed.countDown();
    }

    @Override
    public void close() {
        try {
            membership.close();
        } finally {
            thaw();
            timer.shutdownNow();
            try {
                timer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

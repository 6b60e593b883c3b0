package io.tributary.cluster.directory;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.membership.TestMember;
import io.tributary.cluster.store.ClusterStore;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One node's stream directory for a test: its membership (heartbeat period 100 ms, on the clock the test
 * gives), a health check the test answers, a recording announcer, its own store executor and a wall clock
 * the test moves. Several share one store to stand for several nodes.
 */
final class DirectoryNode implements AutoCloseable {
    static final String APP = "live";
    static final Duration CHECK_TIMEOUT = Duration.ofMillis(750);
    static final ClaimRequest RTMP_FROM_ENCODER = new ClaimRequest("RTMP", "192.0.2.7");

    final TestMember member;
    final TestProbe probe = new TestProbe();
    final RecordingAnnouncer announcer = new RecordingAnnouncer();
    final AtomicBoolean acceptUndefined = new AtomicBoolean(true);
    final AtomicLong wall;
    final ExecutorService storeExecutor;
    final StreamDirectory directory;

    private DirectoryNode(ClusterStore store, String nodeId, LongSupplier nanoClock, AtomicLong wall) {
        this.wall = wall;
        this.storeExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "store-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        this.member = TestMember.start(store, nodeId, TestMember.fast(), nanoClock);
        this.directory = new StreamDirectory(store, member.membership(), probe, CHECK_TIMEOUT,
                app -> acceptUndefined.get(), address(nodeId), storeExecutor, wall::get);
        directory.setAnnouncer(announcer);
    }

    /** A node whose membership judges on {@code nanoClock} and whose records are stamped with {@code wall}. */
    static DirectoryNode start(ClusterStore store, String nodeId, LongSupplier nanoClock, AtomicLong wall) {
        return new DirectoryNode(store, nodeId, nanoClock, wall);
    }

    /** The address a node advertises, as its streams' records show it. */
    static String address(String nodeId) {
        return nodeId + ".example.net";
    }

    String id() {
        return member.id();
    }

    /** An encoder publishes {@code live/streamId} to this node. */
    Broadcast claim(String streamId) {
        return directory.claim(APP, streamId, RTMP_FROM_ENCODER);
    }

    /** The stream's publisher stopped here. */
    void release(String streamId) {
        directory.release(APP, streamId, b -> b);
    }

    /** A record as a node that publishes it writes it. */
    static Broadcast liveOn(String streamId, String nodeId, long startTime) {
        Broadcast b = new Broadcast(streamId);
        b.setStatus(BroadcastStatus.BROADCASTING);
        b.setOriginNode(nodeId);
        b.setOriginAddress(address(nodeId));
        b.setStartTime(startTime);
        b.setUpdateTime(startTime);
        b.setPublishType("RTMP");
        return b;
    }

    @Override
    public void close() {
        storeExecutor.shutdownNow();
        try {
            storeExecutor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        member.close();
    }
}

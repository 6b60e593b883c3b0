package io.tributary.cluster.store.peers;

import io.tributary.cluster.store.BroadcastCodec;
import java.util.Comparator;

/**
 * Which of two copies of one stream's record a peers-mode node keeps: the greater one, by a total order
 * that every node computes the same way, so that all nodes end with the same record whatever order the
 * copies reach them in. In order of precedence:
 *
 * <ol>
 *   <li>the higher generation (a write made knowing the other comes after it);</li>
 *   <li>a live claim (broadcasting, with an origin) over a record that is not live;</li>
 *   <li>of two live claims, the earlier claim ({@code startTime}), then the lower origin node id: two nodes
 *       that accepted the same stream at once agree on the winner, and the other disconnects its publisher;</li>
 *   <li>a deletion over a record that is not live;</li>
 *   <li>then the higher version, the later update time, and last the record's JSON, so that no two different
 *       copies ever compare equal.</li>
 * </ol>
 */
public final class ReplicaOrder {
    private static final Comparator<Replica> ORDER = Comparator.comparingLong(Replica::generation)
            .thenComparing(ReplicaOrder::byClaim)
            .thenComparing(ReplicaOrder::byContent);

    private ReplicaOrder() {
    }

    /** Positive when {@code a} should be kept over {@code b}, zero when they are the same copy. */
    public static int compare(Replica a, Replica b) {
        return ORDER.compare(a, b);
    }

    /** Whether {@code candidate} replaces {@code current}. */
    public static boolean supersedes(Replica candidate, Replica current) {
        return current == null || compare(candidate, current) > 0;
    }

    private static int byClaim(Replica a, Replica b) {
        String ownerA = a.liveOwner();
        String ownerB = b.liveOwner();
        if ((ownerA == null) != (ownerB == null)) {
            return ownerA != null ? 1 : -1;
        }
        if (ownerA == null) {
            return 0;
        }
        int c = Long.compare(b.broadcast().getStartTime(), a.broadcast().getStartTime());
        return c != 0 ? c : ownerB.compareTo(ownerA);
    }

    private static int byContent(Replica a, Replica b) {
        if (a.deleted() != b.deleted()) {
            return a.deleted() ? 1 : -1;
        }
        if (a.deleted()) {
            return Long.compare(a.deletedAt(), b.deletedAt());
        }
        int c = Long.compare(a.version(), b.version());
        if (c == 0) {
            c = Long.compare(a.broadcast().getUpdateTime(), b.broadcast().getUpdateTime());
        }
        return c != 0 ? c : BroadcastCodec.encode(a.broadcast()).compareTo(BroadcastCodec.encode(b.broadcast()));
    }
}

package io.tributary.cluster.allocation;

import io.tributary.cluster.membership.NodeView;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.media.StreamPath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Picks the node for a new publisher or player from the load the nodes last reported (the seed's
 * AllocationManager and RedirectManager in one, so both decide the same way).
 *
 * <p>A node can take a publisher when it is alive, not draining and an origin; a player when it is alive,
 * not draining, an edge and below every {@link RoutingThresholds routing threshold}. Suspect and dead nodes
 * (as membership judges them) are never candidates. Candidates are ranked by {@link RoutingThresholds#score},
 * lowest first, ties by node id; for a player, edges that already have viewers of the stream (so already
 * relay it) come first, which keeps one pull per stream per edge until that edge is full.
 *
 * <p>Loads are those of each node's latest heartbeat, so every allocation reserves a {@link Ticket} on the
 * node it puts first: until the ticket expires that node counts one more client, and allocations made
 * between two heartbeats spread instead of all landing on the node that looked idlest. Tickets live in
 * this node's memory only: another node does not see them.
 */
public final class AllocationManager {
    private static final Comparator<Candidate> BY_LOAD = Comparator.comparing((Candidate c) -> !c.hasStream())
            .thenComparingDouble(Candidate::score).thenComparing(Candidate::serverId);

    private final Supplier<List<NodeView>> nodes;
    private final BooleanSupplier selfDraining;
    private final AllocationSettings settings;
    private final Tickets tickets;

    /**
     * @param nodes the nodes as membership sees them now (self included)
     * @param selfDraining this node's drain switch, fresher than its own last heartbeat
     * @param wallClock ms; tickets expire by it
     */
    public AllocationManager(Supplier<List<NodeView>> nodes, BooleanSupplier selfDraining, AllocationSettings settings,
                             LongSupplier wallClock) {
        this.nodes = nodes;
        this.selfDraining = selfDraining;
        this.settings = settings;
        this.tickets = new Tickets(settings.ticketTtl().toMillis(), wallClock);
    }

    public AllocationSettings settings() {
        return settings;
    }

    /**
     * Ranks the nodes that can take the client, keeps the best {@code limit} and reserves a ticket on the
     * first. Synchronized so that simultaneous allocations each see the tickets of the others.
     */
    public synchronized Allocation allocate(AllocationKind kind, StreamPath path, String protocol, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<String> excluded = new ArrayList<>();
        List<Candidate> ranked = rank(kind, path, excluded);
        List<Candidate> chosen = ranked.subList(0, Math.min(limit, ranked.size()));
        Ticket ticket = chosen.isEmpty() ? null : tickets.reserve(chosen.get(0).serverId(), kind, path.toString());
        return new Allocation(kind, path, protocol, chosen, ticket, excluded);
    }

    /** {@link #allocate} with the configured candidate limit. */
    public Allocation allocate(AllocationKind kind, StreamPath path, String protocol) {
        return allocate(kind, path, protocol, settings.candidateLimit());
    }

    /**
     * Whether a player of {@code path} that reached this node should stay or go: it stays while this node
     * can take players; otherwise it goes to the best other node that can (which gets a ticket, as with
     * an allocation), and stays if there is none, since a loaded node beats no node.
     */
    public synchronized RedirectDecision decide(StreamPath path, String protocol) {
        List<NodeView> all = nodes.get();
        NodeView self = all.stream().filter(NodeView::self).findFirst().orElse(null);
        if (self == null) {
            return new RedirectDecision(RedirectDecision.Action.STAY, null, null,
                    "this node has not registered in the cluster yet");
        }
        String selfId = self.record().id();
        Optional<String> problem = unfit(self, AllocationKind.PLAY);
        if (problem.isEmpty()) {
            return new RedirectDecision(RedirectDecision.Action.STAY, self.record(),
                    NodeUrls.url(self.record(), path, protocol), selfId + " takes players");
        }
        List<String> excluded = new ArrayList<>();
        List<Candidate> others = rank(all, AllocationKind.PLAY, path, excluded).stream()
                .filter(c -> !c.serverId().equals(selfId)).toList();
        String why = selfId + " " + problem.get();
        if (others.isEmpty()) {
            excluded.removeIf(line -> line.startsWith(selfId + " "));
            return new RedirectDecision(RedirectDecision.Action.STAY, self.record(),
                    NodeUrls.url(self.record(), path, protocol), why + ", and no other node can take the player"
                    + (excluded.isEmpty() ? "" : " (" + String.join("; ", excluded) + ")"));
        }
        Candidate best = others.get(0);
        tickets.reserve(best.serverId(), AllocationKind.PLAY, path.toString());
        return new RedirectDecision(RedirectDecision.Action.REDIRECT, best.node(),
                NodeUrls.url(best.node(), path, protocol), why + "; " + best.serverId()
                        + (best.hasStream() ? " already has viewers of " + path + " and" : "")
                        + " has the least load (score "
                        + BigDecimal.valueOf(best.shownScore()).stripTrailingZeros().toPlainString() + ")");
    }

    private List<Candidate> rank(AllocationKind kind, StreamPath path, List<String> excluded) {
        return rank(nodes.get(), kind, path, excluded);
    }

    private List<Candidate> rank(List<NodeView> all, AllocationKind kind, StreamPath path, List<String> excluded) {
        List<Candidate> candidates = new ArrayList<>();
        for (NodeView v : all) {
            NodeRecord r = v.record();
            Optional<String> problem = unfit(v, kind);
            if (problem.isPresent()) {
                excluded.add(r.id() + " " + problem.get());
                continue;
            }
            int held = tickets.outstanding(r.id());
            boolean hasStream = kind == AllocationKind.PLAY && viewers(r.load(), path) > 0;
            candidates.add(new Candidate(r, settings.thresholds().score(r.load(), held), held, hasStream));
        }
        candidates.sort(BY_LOAD);
        return candidates;
    }

    /** Why a node cannot take this kind of client now; empty when it can. */
    private Optional<String> unfit(NodeView v, AllocationKind kind) {
        NodeRecord r = v.record();
        if (v.state() != NodeState.ALIVE) {
            return Optional.of("is " + v.state().jsonValue());
        }
        if (r.load().draining() || v.self() && selfDraining.getAsBoolean()) {
            return Optional.of("is draining");
        }
        if (!r.hasRole(kind.role())) {
            return Optional.of("is not an " + kind.role());
        }
        if (kind == AllocationKind.PLAY) {
            return settings.thresholds().exceeded(r.load(), tickets.outstanding(r.id())).map(s -> "is " + s);
        }
        return Optional.empty();
    }

    private static int viewers(NodeLoad load, StreamPath path) {
        return load.viewersOf(path.toString()).viewers().values().stream().mapToInt(Integer::intValue).sum();
    }
}

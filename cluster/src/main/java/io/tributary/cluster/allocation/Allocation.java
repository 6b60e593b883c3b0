package io.tributary.cluster.allocation;

import io.tributary.media.StreamPath;
import java.util.List;

/**
 * The answer to "where should this client go": candidates best first, the ticket reserved on the first,
 * and why every other known node was left out.
 *
 * @param ticket null when there is no candidate
 * @param excluded one line per node that cannot take the client ("node-2 is suspect")
 */
public record Allocation(AllocationKind kind, StreamPath path, String protocol, List<Candidate> candidates,
                         Ticket ticket, List<String> excluded) {

    public Allocation {
        candidates = List.copyOf(candidates);
        excluded = List.copyOf(excluded);
    }

    public boolean granted() {
        return !candidates.isEmpty();
    }

    /** Why nobody can take the client, for the 503 answer. */
    public String refusal() {
        return "no node can take a " + kind.client() + " for " + path
                + (excluded.isEmpty() ? ": no node is known" : ": " + String.join("; ", excluded));
    }
}

package io.tributary.cluster.allocation;

/**
 * A slot reserved on a node by one allocation: until {@code expiresAt} this node counts one more client
 * there when it ranks nodes, so that allocations made between two heartbeats spread out.
 *
 * @param expiresAt wall-clock ms
 */
public record Ticket(String id, String serverId, AllocationKind kind, String streamPath, long expiresAt) {
}

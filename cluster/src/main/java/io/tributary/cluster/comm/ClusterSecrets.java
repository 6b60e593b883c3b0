package io.tributary.cluster.comm;

import java.util.List;

/**
 * The shared secrets cluster tokens are signed with: {@code current} signs new tokens, {@code previous}
 * ones are still accepted. That lets an operator rotate the secret one node at a time, in three rolling
 * restarts: (1) every node gets the new secret as a previous one, (2) every node makes it current and
 * keeps the old one as previous, (3) the old one is dropped. At no point does a node sign with a secret
 * another node does not know. Never printed: {@link #toString()} hides them.
 */
public record ClusterSecrets(String current, List<String> previous) {

    /** Shorter secrets can be guessed offline from one captured token. */
    public static final int MIN_LENGTH = 32;

    public ClusterSecrets {
        check(current, "the cluster secret");
        previous = previous == null ? List.of() : List.copyOf(previous);
        for (String secret : previous) {
            check(secret, "a previous cluster secret");
        }
    }

    public static ClusterSecrets of(String current, List<String> previous) {
        return new ClusterSecrets(current, previous);
    }

    /** Only the current secret, as on a cluster that has never rotated it. */
    public static ClusterSecrets of(String current) {
        return new ClusterSecrets(current, List.of());
    }

    private static void check(String secret, String what) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException(what + " is not set (it must be at least " + MIN_LENGTH
                    + " characters long)");
        }
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(what + " must be at least " + MIN_LENGTH
                    + " characters long (got " + secret.length() + ")");
        }
    }

    @Override
    public String toString() {
        return "ClusterSecrets[current=<hidden>, previous=<" + previous.size() + " hidden>]";
    }
}

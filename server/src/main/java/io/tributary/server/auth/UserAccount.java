package io.tributary.server.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One dashboard and REST user as the store keeps it (record kind {@code user}, keyed by name). Every user is
 * an administrator for now; the role is stored so that narrower roles can come without a migration.
 *
 * @param passwordHash see {@link PasswordHashes}; never leaves the server
 */
public record UserAccount(@JsonProperty("username") String username,
                          @JsonProperty("passwordHash") String passwordHash,
                          @JsonProperty("role") String role,
                          @JsonProperty("createdAt") long createdAt) {
    public static final String ADMIN = "admin";

    /** What the API shows of a user. */
    public record View(String username, String role, long createdAt) {
    }

    public View view() {
        return new View(username, role, createdAt);
    }
}

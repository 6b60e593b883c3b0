package io.tributary.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.RecordKind;
import io.tributary.cluster.store.Records;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users who may sign in to the dashboard and the REST API, kept in the cluster store (so every node
 * knows them) with salted, slow password hashes. Calls reach the store: never call them on an event loop.
 */
public final class UserAccounts {
    private static final Logger log = LoggerFactory.getLogger(UserAccounts.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 256;

    /** Thrown when a user cannot be created or changed; the message says why and may be shown. */
    public static final class UserException extends RuntimeException {
        public UserException(String message) {
            super(message);
        }
    }

    private final ClusterStore store;
    private final PasswordHashes hashes;
    private final LongSupplier clock;

    public UserAccounts(ClusterStore store, PasswordHashes hashes, LongSupplier clock) {
        this.store = store;
        this.hashes = hashes;
        this.clock = clock;
    }

    /** Creates a user; fails when the name is taken or the name or password is not acceptable. */
    public UserAccount create(String username, String password) {
        checkName(username);
        checkPassword(password);
        UserAccount user = new UserAccount(username, hashes.hash(password), UserAccount.ADMIN, clock.getAsLong());
        if (!store.insertRecord(RecordKind.USER, username, encode(user), Records.NEVER)) {
            throw new UserException("user " + username + " already exists");
        }
        log.info("user {} created", username);
        return user;
    }

    /**
     * Creates the first user from the configuration when the store has none; does nothing (and says so)
     * when users exist, so a password in the environment never overwrites one changed since.
     */
    public void createFirst(String username, String password) {
        if (!store.records(RecordKind.USER).isEmpty()) {
            log.info("auth.adminUser {} not created: the store already has users", username);
            return;
        }
        try {
            create(username, password);
        } catch (UserException e) {
            // Another node created it at the same moment.
            log.info("auth.adminUser {} not created: {}", username, e.getMessage());
        }
    }

    /** The user, if the name and password match; otherwise empty, after the same amount of work. */
    public Optional<UserAccount> verify(String username, String password) {
        if (username == null || password == null || password.length() > MAX_PASSWORD || !NAME.matcher(username).matches()) {
            hashes.spendVerificationTime(password == null ? "" : password.substring(0, Math.min(password.length(),
                    MAX_PASSWORD)));
            return Optional.empty();
        }
        Optional<UserAccount> user = find(username);
        if (user.isEmpty()) {
            hashes.spendVerificationTime(password);
            return Optional.empty();
        }
        return hashes.matches(password, user.get().passwordHash()) ? user : Optional.empty();
    }

    public Optional<UserAccount> find(String username) {
        if (username == null || !NAME.matcher(username).matches()) {
            return Optional.empty();
        }
        return store.record(RecordKind.USER, username).map(UserAccounts::decode);
    }

    public List<UserAccount.View> list() {
        List<UserAccount.View> views = new ArrayList<>();
        store.records(RecordKind.USER).values().forEach(json -> views.add(decode(json).view()));
        return views;
    }

    public void setPassword(String username, String password) {
        checkPassword(password);
        UserAccount user = find(username).orElseThrow(() -> new UserException("no user " + username));
        store.putRecord(RecordKind.USER, username, encode(new UserAccount(username, hashes.hash(password), user.role(),
                user.createdAt())), Records.NEVER);
        log.info("password of user {} changed", username);
    }

    /** Deletes a user; the last one cannot go, or nobody could sign in any more. */
    public boolean delete(String username) {
        if (find(username).isEmpty()) {
            return false;
        }
        if (store.records(RecordKind.USER).size() <= 1) {
            throw new UserException("user " + username + " is the last one; create another before deleting it");
        }
        boolean deleted = store.deleteRecord(RecordKind.USER, username);
        if (deleted) {
            log.info("user {} deleted", username);
        }
        return deleted;
    }

    static void checkName(String username) {
        if (username == null || !NAME.matcher(username).matches()) {
            throw new UserException("a user name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a "
                    + "letter or digit");
        }
    }

    static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new UserException("a password is " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
    }

    private static String encode(UserAccount user) {
        try {
            return Json.mapper().writeValueAsString(user);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a user record", e);
        }
    }

    private static UserAccount decode(String json) {
        try {
            return Json.mapper().readValue(json, UserAccount.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable user record in the store: " + e.getOriginalMessage(), e);
        }
    }
}

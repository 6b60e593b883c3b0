package io.tributary.server.auth;

import io.tributary.cluster.store.ClusterStore;
import io.tributary.server.config.ConfigException;
import io.tributary.server.config.ConfigKeys;
import io.tributary.server.config.NodeConfig;
import io.tributary.server.http.Router;
import io.tributary.server.lb.Cidr;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sets up a node's REST access control from its configuration: users, sign-in tokens, the gate. */
public final class RestAuth {
    private static final Logger log = LoggerFactory.getLogger(RestAuth.class);

    private final RestAccess gate;

    private RestAuth(RestAccess gate) {
        this.gate = gate;
    }

    /** Fails at start-up, before anything opens, on an admin user without a password (or the reverse). */
    public static void validate(NodeConfig config) {
        String user = config.get(ConfigKeys.AUTH_ADMIN_USER);
        String password = config.get(ConfigKeys.AUTH_ADMIN_PASSWORD);
        if ((user == null) != (password == null || password.isEmpty())) {
            throw new ConfigException("auth.adminUser and auth.adminPassword go together: set both or neither");
        }
        if (password != null && !password.isEmpty()) {
            try {
                UserAccounts.checkPassword(password);
            } catch (UserAccounts.UserException e) {
                throw new ConfigException("auth.adminPassword: " + e.getMessage());
            }
        }
    }

    /**
     * Creates the first user if the configuration names one, reads (or makes) the cluster's token key, and
     * adds the user routes to {@code router}. Reaches the store: call at start-up, not on an event loop.
     */
    public static RestAuth install(NodeConfig config, ClusterStore store, Router router,
                                   Function<String, Optional<String>> nodeTokenIssuer) {
        UserAccounts users = new UserAccounts(store, new PasswordHashes(), System::currentTimeMillis);
        String admin = config.get(ConfigKeys.AUTH_ADMIN_USER);
        if (admin != null) {
            users.createFirst(admin, config.get(ConfigKeys.AUTH_ADMIN_PASSWORD));
        }
        List<String> allowed = config.get(ConfigKeys.REST_ALLOWED_CIDRS);
        List<Cidr> cidrs = allowed.equals(List.of("none")) ? List.of() : allowed.stream().map(Cidr::parse).toList();
        if (users.list().isEmpty()) {
            log.warn("no users yet: the REST API and the dashboard open only to {} and API keys; create one with "
                    + "'tributary admin create' or auth.adminUser/auth.adminPassword", cidrs.isEmpty() ? "nobody" : allowed);
        }
        RestTokens tokens = RestTokens.fromStore(store, config.get(ConfigKeys.AUTH_TOKEN_TTL), System::currentTimeMillis);
        SignInLimiter limiter = new SignInLimiter(config.get(ConfigKeys.AUTH_MAX_FAILED_SIGN_INS),
                config.get(ConfigKeys.AUTH_FAILED_SIGN_IN_WINDOW), System::currentTimeMillis);
        new UserRoutes(users, tokens, limiter).register(router);
        List<String> keys = config.get(ConfigKeys.REST_API_KEYS);
        return new RestAuth(new RestAccess(cidrs, keys == null ? List.of() : keys, tokens, nodeTokenIssuer));
    }

    /** The gate to put in front of the HTTP routes. */
    public RestAccess gate() {
        return gate;
    }
}

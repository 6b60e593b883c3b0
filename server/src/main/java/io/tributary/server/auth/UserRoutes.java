package io.tributary.server.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.media.Addresses;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Jsons;
import io.tributary.server.http.NotFoundException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Result;
import io.tributary.server.http.Router;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and managing users: {@code POST /rest/v2/users/authenticate} (open; rate-limited per client
 * address), {@code GET /rest/v2/users/current}, {@code GET/POST /rest/v2/users},
 * {@code PUT /rest/v2/users/{name}/password}, {@code DELETE /rest/v2/users/{name}} (behind {@link RestAccess}).
 * A failed sign-in never says whether the name or the password was wrong.
 */
public final class UserRoutes {
    private static final Logger log = LoggerFactory.getLogger(UserRoutes.class);
    static final String WRONG = "Wrong user name or password";

    /** A sign-in or a new user: Ant Media Server's clients send {@code email}, others {@code username}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Credentials(@JsonProperty("email") String email, @JsonProperty("username") String username,
                       @JsonProperty("password") String password) {
        String name() {
            return username != null ? username : email;
        }
    }

    record NewPassword(@JsonProperty("password") String password) {
    }

    /** The answer to a sign-in: Ant Media Server's Result plus the token and when it expires. */
    record SignedIn(boolean success, String message, String dataId, String token, long expiresAt) {
    }

    record Current(String username, String principal) {
    }

    private final UserAccounts users;
    private final RestTokens tokens;
    private final SignInLimiter limiter;

    public UserRoutes(UserAccounts users, RestTokens tokens, SignInLimiter limiter) {
        this.users = users;
        this.tokens = tokens;
        this.limiter = limiter;
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, RestAccess.SIGN_IN_PATH, this::signIn)
                .add(HttpMethod.GET, "/rest/v2/users/current", this::current)
                .add(HttpMethod.GET, "/rest/v2/users", r -> Response.ok(Map.of("users", users.list())))
                .add(HttpMethod.POST, "/rest/v2/users", this::create)
                .add(HttpMethod.PUT, "/rest/v2/users/{name}/password", this::password)
                .add(HttpMethod.DELETE, "/rest/v2/users/{name}", this::delete);
    }

    private Response signIn(Request r) {
        String address = Addresses.host(r.client());
        Duration wait = limiter.waitBefore(address);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            log.warn("sign-in from {} refused: too many wrong passwords (next try in {} s)", address, seconds);
            return Response.error(HttpResponseStatus.TOO_MANY_REQUESTS,
                    "Too many failed sign-ins from " + address + "; try again in " + seconds + " s")
                    .withHeader("Retry-After", Long.toString(seconds));
        }
        Credentials c = body(r, Credentials.class);
        return users.verify(c.name(), c.password()).map(user -> {
            limiter.succeeded(address);
            RestTokens.Issued issued = tokens.issue(user.username());
            log.info("user {} signed in from {}", user.username(), address);
            return Response.ok(new SignedIn(true, "Signed in as " + user.username(), user.username(), issued.token(),
                    issued.expiresAt()));
        }).orElseGet(() -> {
            limiter.failed(address);
            log.warn("failed sign-in from {} (user name given: {})", address, printable(c.name()));
            return Response.error(HttpResponseStatus.UNAUTHORIZED, WRONG);
        });
    }

    private Response current(Request r) {
        String principal = r.principal();
        String username = principal != null && principal.startsWith("user ") ? principal.substring(5) : null;
        return Response.ok(new Current(username, principal));
    }

    private Response create(Request r) {
        Credentials c = body(r, Credentials.class);
        try {
            users.create(c.name(), c.password());
        } catch (UserAccounts.UserException e) {
            return Response.json(e.getMessage().endsWith("already exists") ? HttpResponseStatus.CONFLICT
                    : HttpResponseStatus.BAD_REQUEST, Result.failure(e.getMessage()));
        }
        log.info("user {} created by {}", c.name(), r.principal());
        return Response.ok(new Result(true, "User " + c.name() + " created", c.name()));
    }

    private Response password(Request r) {
        String name = r.param("name");
        if (users.find(name).isEmpty()) {
            throw new NotFoundException("No user " + name);
        }
        try {
            users.setPassword(name, body(r, NewPassword.class).password());
        } catch (UserAccounts.UserException e) {
            throw new BadRequestException(e.getMessage());
        }
        log.info("password of user {} changed by {}", name, r.principal());
        return Response.ok(new Result(true, "Password of " + name + " changed", name));
    }

    private Response delete(Request r) {
        String name = r.param("name");
        try {
            if (!users.delete(name)) {
                throw new NotFoundException("No user " + name);
            }
        } catch (UserAccounts.UserException e) {
            return Response.json(HttpResponseStatus.CONFLICT, Result.failure(e.getMessage()));
        }
        log.info("user {} deleted by {}", name, r.principal());
        return Response.ok(new Result(true, "User " + name + " deleted", name));
    }

    private static <T> T body(Request r, Class<T> type) {
        if (!r.hasBody()) {
            throw new BadRequestException("a JSON body is needed");
        }
        return Jsons.read(r.body(), type);
    }

    /** A user name as given, safe for a log line. */
    private static String printable(String name) {
        if (name == null) {
            return "none";
        }
        String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}

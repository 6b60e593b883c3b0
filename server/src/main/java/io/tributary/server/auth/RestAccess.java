package io.tributary.server.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.cluster.comm.ClusterTokens;
import io.tributary.media.Addresses;
import io.tributary.server.http.AccessGate;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import io.tributary.server.lb.Cidr;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may call the REST API ({@code /rest/v2/*} and {@code /{app}/rest/v2/*}): a signed-in user (a token from
 * {@code POST /rest/v2/users/authenticate}), a holder of a configured API key, another node of the cluster
 * (a cluster token), or any client whose address is in the allow-list ({@code rest.allowedCidrs}, loopback by
 * default, as Ant Media Server allows 127.0.0.1). Signing in itself is open. Other paths (media, health,
 * metrics, the dashboard's files, the cluster's own endpoints with their own check) are not this gate's.
 */
public final class RestAccess implements AccessGate {
    public static final String SIGN_IN_PATH = "/rest/v2/users/authenticate";
    public static final String API_KEY_HEADER = "X-Api-Key";
    private static final String REALM = "Bearer realm=\"tributary\"";

    private final List<Cidr> allowed;
    private final List<byte[]> apiKeys;
    private final RestTokens tokens;
    private final Function<String, Optional<String>> nodeTokenIssuer;

    /**
     * @param nodeTokenIssuer the node that issued a bearer token, if it is a valid cluster token for this node
     */
    public RestAccess(List<Cidr> allowed, List<String> apiKeys, RestTokens tokens,
                      Function<String, Optional<String>> nodeTokenIssuer) {
        this.allowed = List.copyOf(allowed);
        this.apiKeys = apiKeys.stream().filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.tokens = tokens;
        this.nodeTokenIssuer = nodeTokenIssuer;
    }

    /**
     * Whether {@code rawPath} is the REST API's, judged on the segments the router matches routes against
     * ({@link Router#split}: extra leading and trailing slashes do not count), so that no spelling of a REST
     * path reaches a route without passing here.
     */
    public static boolean isRest(String rawPath) {
        String[] segments = Router.split(rawPath);
        return segments.length >= 2 && segments[0].equals("rest") && segments[1].equals("v2")
                || segments.length >= 3 && segments[1].equals("rest") && segments[2].equals("v2");
    }

    @Override
    public Access decide(HttpMethod method, String path, HttpHeaders headers, SocketAddress client) {
        if (!isRest(path) || String.join("/", Router.split(path)).equals(SIGN_IN_PATH.substring(1))
                && method.equals(HttpMethod.POST)) {
            return Access.granted(null);
        }
        String bearer = ClusterTokens.bearer(headers.get(HttpHeaderNames.AUTHORIZATION));
        String key = headers.get(API_KEY_HEADER);
        if (bearer != null) {
            Optional<RestTokens.Holder> holder = tokens.verify(bearer);
            if (holder.isPresent()) {
                return Access.granted("user " + holder.get().username());
            }
            if (isApiKey(bearer)) {
                return Access.granted("API key");
            }
            Optional<String> node = nodeTokenIssuer.apply(bearer);
            if (node.isPresent()) {
                return Access.granted("node " + node.get());
            }
        }
        if (key != null && isApiKey(key)) {
            return Access.granted("API key");
        }
        if (allowListed(client)) {
            return Access.granted("allow-listed " + Addresses.host(client));
        }
        String message = bearer != null || key != null
                ? "Invalid or expired token or API key; sign in again (POST " + SIGN_IN_PATH + ")"
                : "Sign-in required: send Authorization: Bearer <token> (from POST " + SIGN_IN_PATH + ") or "
                        + API_KEY_HEADER;
        return Access.refused(Response.error(HttpResponseStatus.UNAUTHORIZED, message)
                .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), REALM));
    }

    private boolean allowListed(SocketAddress client) {
        if (!(client instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        for (Cidr cidr : allowed) {
            if (cidr.contains(inet.getAddress())) {
                return true;
            }
        }
        return false;
    }

    /** Constant-time comparison against every key, so a key cannot be guessed from response times. */
    private boolean isApiKey(String candidate) {
        byte[] given = candidate.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : apiKeys) {
            match |= MessageDigest.isEqual(given, key);
        }
        return match;
    }
}

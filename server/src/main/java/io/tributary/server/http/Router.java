package io.tributary.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps method + path patterns ({@code /{app}/rest/v2/broadcasts/{id}}) to handlers. Routes are tried in
 * the order they were added, so literal paths go before the patterns that would also match them.
 */
public final class Router {

    /** Answers one request; runs off the network threads, so it may wait on the store. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    private record Route(HttpMethod method, String[] segments, Handler handler) {
    }

    /** A route found for a path, or the methods the path allows when the method did not match. */
    public record Match(Handler handler, Map<String, String> params, List<HttpMethod> allowed) {
        public boolean found() {
            return handler != null;
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final Map<String, java.util.function.BiFunction<String, List<HttpMethod>, Response>> misses =
            new java.util.LinkedHashMap<>();

    public Router add(HttpMethod method, String pattern, Handler handler) {
        routes.add(new Route(method, split(pattern), handler));
        return this;
    }

    /**
     * Finds the route for a request. Among the patterns that match the path, the most specific ones
     * (fewest parameters) own it, so {@code /broadcasts/count} never falls through to
     * {@code /broadcasts/{id}}: a wrong method there is a 405, not a lookup of a broadcast "count".
     */
    /**
     * How paths under {@code prefix} answer when no route matches (404) or the method does not (405,
     * with the allowed methods): APIs with their own error shape (the cluster API's envelope) set this.
     */
    public Router onMiss(String prefix, java.util.function.BiFunction<String, List<HttpMethod>, Response> answer) {
        misses.put(prefix, answer);
        return this;
    }

    /** The miss answer for a path, or null for the default. */
    public Response miss(String path, List<HttpMethod> allowed) {
        for (Map.Entry<String, java.util.function.BiFunction<String, List<HttpMethod>, Response>> e
                : misses.entrySet()) {
            if (path.startsWith(e.getKey())) {
                return e.getValue().apply(path, allowed);
            }
        }
        return null;
    }

    public Match match(HttpMethod method, String rawPath) {
        String[] path = split(rawPath);
        int bestParams = Integer.MAX_VALUE;
        List<Route> owners = new ArrayList<>();
        List<Map<String, String>> bound = new ArrayList<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments, path);
            if (params == null) {
                continue;
            }
            if (params.size() < bestParams) {
                bestParams = params.size();
                owners.clear();
                bound.clear();
            }
            if (params.size() == bestParams) {
                owners.add(r);
                bound.add(params);
            }
        }
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (int i = 0; i < owners.size(); i++) {
            Route r = owners.get(i);
            if (r.method.equals(method) || method.equals(HttpMethod.HEAD) && r.method.equals(HttpMethod.GET)) {
                return new Match(r.handler, bound.get(i), List.of());
            }
            allowed.add(r.method);
            if (r.method.equals(HttpMethod.GET)) {
                allowed.add(HttpMethod.HEAD);
            }
        }
        if (!allowed.isEmpty()) {
            allowed.add(HttpMethod.OPTIONS);
        }
        return new Match(null, Map.of(), List.copyOf(allowed));
    }

    private static Map<String, String> bind(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), QueryStringDecoder.decodeComponent(path[i]));
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    /** Splits the raw (still percent-encoded) path, so an encoded slash never splits a segment. */
    public static String[] split(String rawPath) {
        String p = rawPath;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}

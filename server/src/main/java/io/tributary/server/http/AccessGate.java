package io.tributary.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.SocketAddress;

/** Decides, before a route runs, whether a request may reach it (the REST API's sign-in check). */
@FunctionalInterface
public interface AccessGate {

    /** Every request passes, as an anonymous caller. */
    AccessGate OPEN = (method, path, headers, client) -> Access.granted(null);

    /**
     * The decision for one request: who the caller is, or the answer that refuses it.
     *
     * @param path the request path as sent (still percent-encoded), which the router matches routes against
     * @param client the client address (after trusted proxies)
     */
    Access decide(HttpMethod method, String path, HttpHeaders headers, SocketAddress client);

    /**
     * @param principal who the caller is ("user admin", "API key", "node node-2", "allow-listed 127.0.0.1"),
     *                  null for a path that needs nobody
     * @param refusal the answer that refuses the request, null when it may go on
     */
    record Access(String principal, Response refusal) {
        public static Access granted(String principal) {
            return new Access(principal, null);
        }

        public static Access refused(Response refusal) {
            return new Access(null, refusal);
        }

        public boolean allowed() {
            return refusal == null;
        }
    }
}

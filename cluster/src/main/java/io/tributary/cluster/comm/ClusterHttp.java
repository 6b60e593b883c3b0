package io.tributary.cluster.comm;

import java.net.http.HttpClient;
import java.time.Duration;

/** Makes the one {@link HttpClient} a node uses to talk to the other nodes, with or without TLS. */
public final class ClusterHttp {

    private ClusterHttp() {
    }

    /**
     * A client for node-to-node requests. HTTP/1.1, because the nodes' HTTP port speaks nothing else;
     * no redirects, so a bearer token is never carried to an address the caller did not choose; no
     * proxy, because the JVM's proxy settings are for outside traffic, not the cluster's own network.
     */
    public static HttpClient newClient(ClusterTls tlsOrNull, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY);
        if (tlsOrNull != null) {
            builder.sslContext(tlsOrNull.clientContext());
        }
        return builder.build();
    }

    /** The URI scheme of node-to-node requests: "https" with TLS, "http" without. */
    public static String scheme(ClusterTls tlsOrNull) {
        return tlsOrNull == null ? "http" : "https";
    }
}

package io.tributary.cluster.comm;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS configuration of node-to-node HTTP: this node's certificate chain and PKCS#8 key (PEM), and
 * the CA every node's certificate is signed by. Nodes talk HTTPS to each other with it, and a node's
 * HTTP port accepts both TLS (from nodes) and plain HTTP (from players) on the same port.
 */
public record ClusterTls(Path certificate, Path key, Path trustedCa) {

    /** TLS 1.2 for older peers; 1.0 and 1.1 are broken. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * One server context per configuration: {@link #optionalTlsHandler()} is called for every
     * connection, and building a context (reading files, initialising the key manager) is too slow for
     * that. A renewed certificate is therefore read at the next start, like the rest of the config.
     */
    private static final Map<ClusterTls, SslContext> SERVER_CONTEXTS = new ConcurrentHashMap<>();

    public ClusterTls {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(trustedCa, "trustedCa");
    }

    /**
     * Loads and checks the three files at start-up: each is readable PEM of the right kind, the key
     * belongs to the certificate, the certificate is valid now and is signed by the trusted CA (as the
     * other nodes will check). Fails with an {@link IllegalArgumentException} naming the file.
     */
    public static ClusterTls load(Path certificate, Path key, Path trustedCa) {
        return load(certificate, key, trustedCa, Clock.systemUTC());
    }

    static ClusterTls load(Path certificate, Path key, Path trustedCa, Clock clock) {
        ClusterTls tls = new ClusterTls(certificate, key, trustedCa);
        ClusterTlsCheck.check(tls, clock.instant());
        return tls;
    }

    /** Netty server context for the node's HTTP port (PEM certificate chain + PKCS#8 key). */
    public SslContext serverContext() {
        List<X509Certificate> chain = PemFiles.certificates(certificate, PemFiles.CERTIFICATE);
        try {
            return SslContextBuilder.forServer(PemFiles.privateKey(key), chain.toArray(X509Certificate[]::new))
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot use the " + PemFiles.CERTIFICATE + " " + certificate
                    + " with the key " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * A handler to put first in the HTTP pipeline of each connection: it looks at the first bytes and
     * becomes a TLS handler for a TLS client (a node) or steps aside for plain HTTP (a player). A new
     * handler per call, as Netty requires one per channel; they share one {@link #serverContext()}.
     */
    public ChannelHandler optionalTlsHandler() {
        return new OptionalSslHandler(SERVER_CONTEXTS.computeIfAbsent(this, ClusterTls::serverContext));
    }

    /**
     * An SSLContext for {@link java.net.http.HttpClient} that trusts exactly the certificates in
     * {@code trustedCa}, not the JDK's public CAs: a node's peers are only the cluster's nodes. The client
     * still verifies the host name (the node certificates carry the nodes' addresses as IP/DNS SANs).
     */
    public SSLContext clientContext() {
        List<X509Certificate> authorities = PemFiles.certificates(trustedCa, PemFiles.TRUSTED_CA);
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                trusted.setCertificateEntry("cluster-ca-" + i, authorities.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the cluster TLS client context from " + trustedCa + ": "
                    + e.getMessage(), e);
        }
    }
}

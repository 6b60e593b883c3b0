package io.tributary.cluster.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tributary.cluster.testing.TestCertificates;
import io.tributary.cluster.testing.TestCertificates.Issued;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes talk HTTPS and players plain HTTP to the same port of a node, over real sockets. */
class ClusterTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static TestCertificates certificates;
    private static Issued localhost;

    private TestHttpServer server;

    @BeforeAll
    static void makeCertificates() {
        certificates = TestCertificates.create(dir);
        localhost = certificates.nodeCertificate("127.0.0.1");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aNodeGetsItsAnswerOverHttps() throws Exception {
        ClusterTls tls = ClusterTls.load(localhost.certificate(), localhost.key(), certificates.caCertificate());
        server = TestHttpServer.start("127.0.0.1", tls::optionalTlsHandler);

        HttpResponse<String> response = get(ClusterHttp.newClient(tls, TIMEOUT), ClusterHttp.scheme(tls));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.headers().firstValue("X-Tls")).hasValue("true");
    }

    @Test
    void aPlayerGetsItsAnswerOverPlainHttpOnTheSamePort() throws Exception {
        ClusterTls tls = ClusterTls.load(localhost.certificate(), localhost.key(), certificates.caCertificate());
        server = TestHttpServer.start("127.0.0.1", tls::optionalTlsHandler);

        HttpResponse<String> response = get(HttpClient.newHttpClient(), "http");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.headers().firstValue("X-Tls")).hasValue("false");
    }

    @Test
    void aClusterWithoutTlsTalksPlainHttp() throws Exception {
        server = TestHttpServer.start("127.0.0.1", ClusterTlsTest::noTls);

        HttpResponse<String> response = get(ClusterHttp.newClient(null, TIMEOUT), ClusterHttp.scheme(null));

        assertThat(ClusterHttp.scheme(null)).isEqualTo("http");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aClientTrustingAnotherCaRefusesTheNode() throws Exception {
        ClusterTls tls = ClusterTls.load(localhost.certificate(), localhost.key(), certificates.caCertificate());
        server = TestHttpServer.start("127.0.0.1", tls::optionalTlsHandler);
        ClusterTls stranger = new ClusterTls(localhost.certificate(), localhost.key(), certificates.otherCa());

        assertThatThrownBy(() -> get(ClusterHttp.newClient(stranger, TIMEOUT), "https"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("PKIX path building failed");
    }

    @Test
    void aNodeServingAnotherAddresssCertificateFailsHostnameVerification() throws Exception {
        Issued elsewhere = certificates.nodeCertificate("127.0.0.2");
        ClusterTls serving = ClusterTls.load(elsewhere.certificate(), elsewhere.key(), certificates.caCertificate());
        server = TestHttpServer.start("127.0.0.1", serving::optionalTlsHandler);
        ClusterTls client = ClusterTls.load(localhost.certificate(), localhost.key(), certificates.caCertificate());

        assertThatThrownBy(() -> get(ClusterHttp.newClient(client, TIMEOUT), "https"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    void anRsaNodeCertificateServesHttpsToo() throws Exception {
        Issued rsa = certificates.nodeCertificate(TestCertificates.KeyType.RSA, "127.0.0.1");
        ClusterTls tls = ClusterTls.load(rsa.certificate(), rsa.key(), certificates.caCertificate());
        server = TestHttpServer.start("127.0.0.1", tls::optionalTlsHandler);

        assertThat(get(ClusterHttp.newClient(tls, TIMEOUT), "https").headers().firstValue("X-Tls")).hasValue("true");
    }

    private HttpResponse<String> get(HttpClient client, String scheme) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.port() + "/health"))
                .timeout(TIMEOUT)
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A node without cluster TLS has nothing in front of its HTTP handlers. */
    private static ChannelHandler noTls() {
        return new ChannelInboundHandlerAdapter();
    }
}

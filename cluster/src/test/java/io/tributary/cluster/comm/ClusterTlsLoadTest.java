package io.tributary.cluster.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cluster.testing.TestCertificates;
import io.tributary.cluster.testing.TestCertificates.Issued;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees at start-up when a cluster TLS file is wrong. */
class ClusterTlsLoadTest {

    @TempDir
    static Path certificatesDir;
    private static TestCertificates certificates;
    private static Issued node;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() {
        certificates = TestCertificates.create(certificatesDir);
        node = certificates.nodeCertificate("127.0.0.1", "node-1.cluster.internal");
    }

    @Test
    void loadsAGoodConfiguration() {
        ClusterTls tls = ClusterTls.load(node.certificate(), node.key(), certificates.caCertificate());

        assertThat(tls).isEqualTo(new ClusterTls(node.certificate(), node.key(), certificates.caCertificate()));
        assertThat(tls.serverContext().isServer()).isTrue();
        assertThat(tls.clientContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void loadsAChainFileThatEndsWithTheCa() throws IOException {
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, Files.readString(node.certificate()) + Files.readString(certificates.caCertificate()));

        assertThat(ClusterTls.load(chain, node.key(), certificates.caCertificate()).certificate()).isEqualTo(chain);
    }

    @Test
    void refusesAMissingCertificate() {
        Path missing = dir.resolve("missing.crt");

        assertLoadFails(missing, node.key(), certificates.caCertificate())
                .hasMessage("cannot read the cluster TLS certificate " + missing + ": no such file");
    }

    @Test
    void refusesAMissingKey() {
        Path missing = dir.resolve("missing.key");

        assertLoadFails(node.certificate(), missing, certificates.caCertificate())
                .hasMessage("cannot read the cluster TLS key " + missing + ": no such file");
    }

    @Test
    void refusesAMissingTrustedCa() {
        Path missing = dir.resolve("missing-ca.crt");

        assertLoadFails(node.certificate(), node.key(), missing)
                .hasMessage("cannot read the cluster TLS trusted CA " + missing + ": no such file");
    }

    @Test
    void refusesAKeyThatIsNotAKey() {
        Path notAKey = node.certificate();

        assertLoadFails(node.certificate(), notAKey, certificates.caCertificate())
                .hasMessage("cannot read the cluster TLS key " + notAKey
                        + ": not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)");
    }

    @Test
    void refusesAPkcs1KeySayingHowToConvertIt() throws IOException {
        Path pkcs1 = write("pkcs1.key", Files.readString(node.key()).replace("PRIVATE KEY", "EC PRIVATE KEY"));

        assertLoadFails(node.certificate(), pkcs1, certificates.caCertificate())
                .hasMessageStartingWith("cannot read the cluster TLS key " + pkcs1 + ": not a PKCS#8 PEM key")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
    }

    @Test
    void refusesAnEncryptedKey() throws IOException {
        String pem = Files.readString(node.key()).replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
        Path encrypted = write("encrypted.key", pem);

        assertLoadFails(node.certificate(), encrypted, certificates.caCertificate())
                .hasMessageContaining("the key is encrypted, which is not supported");
    }

    @Test
    void refusesAKeyWhoseContentIsNotAKey() throws IOException {
        Path garbage = write("garbage.key", pem("PRIVATE KEY", "AAECAwQFBgcICQ=="));

        assertLoadFails(node.certificate(), garbage, certificates.caCertificate())
                .hasMessage("cannot read the cluster TLS key " + garbage
                        + ": not a PKCS#8 PEM key: its content is not an RSA, EC or EdDSA key");
    }

    @Test
    void refusesACertificateThatIsNotACertificate() {
        Path notACertificate = node.key();

        assertLoadFails(notACertificate, node.key(), certificates.caCertificate())
                .hasMessage("cannot read the cluster TLS certificate " + notACertificate
                        + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
    }

    @Test
    void refusesACorruptCertificate() throws IOException {
        Path corrupt = write("corrupt.crt", pem("CERTIFICATE", "AAECAwQFBgcICQ=="));

        assertLoadFails(corrupt, node.key(), certificates.caCertificate())
                .hasMessageStartingWith("cannot read the cluster TLS certificate " + corrupt
                        + ": not a valid X.509 certificate");
    }

    @Test
    void refusesADerCertificateSayingItIsNotPem() throws IOException {
        Path der = dir.resolve("node.der");
        Files.write(der, new byte[] {0x30, (byte) 0x82, 0x01, 0x0a, 0x02, 0x01});

        assertLoadFails(der, node.key(), certificates.caCertificate()).hasMessageContaining("binary DER");
    }

    @Test
    void refusesATrustedCaThatIsNotACertificate() {
        assertLoadFails(node.certificate(), node.key(), certificates.caKey())
                .hasMessage("cannot read the cluster TLS trusted CA " + certificates.caKey()
                        + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
    }

    @Test
    void refusesTheKeyOfAnotherCertificate() {
        Issued other = certificates.nodeCertificate("127.0.0.3");

        assertLoadFails(node.certificate(), other.key(), certificates.caCertificate())
                .hasMessage("the cluster TLS key " + other.key() + " does not belong to the cluster TLS certificate "
                        + node.certificate() + " (the first certificate in the file)");
    }

    @Test
    void refusesACertificateTheTrustedCaDidNotSign() {
        Issued foreign = certificates.otherCaNodeCertificate("127.0.0.1");

        assertLoadFails(foreign.certificate(), foreign.key(), certificates.caCertificate())
                .hasMessageStartingWith("the cluster TLS certificate " + foreign.certificate()
                        + " is not signed by the cluster TLS trusted CA " + certificates.caCertificate()
                        + ", so the other nodes would refuse it");
    }

    @Test
    void refusesAnExpiredCertificate() {
        MutableClock inTwoYears = new MutableClock(Instant.now().plus(Duration.ofDays(730)));

        assertLoadFails(node.certificate(), node.key(), certificates.caCertificate(), inTwoYears)
                .hasMessageStartingWith("the cluster TLS certificate " + node.certificate() + " expired on ")
                .hasMessageEndingWith(": renew it");
    }

    @Test
    void refusesACertificateNotValidYet() {
        MutableClock aYearAgo = new MutableClock(Instant.now().minus(Duration.ofDays(365)));

        assertLoadFails(node.certificate(), node.key(), certificates.caCertificate(), aYearAgo)
                .hasMessageContaining("is not valid before");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertLoadFails(Path certificate, Path key,
            Path ca) {
        return assertThatThrownBy(() -> ClusterTls.load(certificate, key, ca))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertLoadFails(Path certificate, Path key,
            Path ca, Clock clock) {
        return assertThatThrownBy(() -> ClusterTls.load(certificate, key, ca, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String pem(String label, String base64) {
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}

package io.tributary.cluster.testing;

import io.tributary.cluster.comm.ClusterTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for tests, made in a directory with the real {@code openssl} command, the way an
 * operator makes them: a CA, node certificates it signs for given addresses (subjectAltName IP or DNS),
 * and a second, unrelated CA for tests that must be refused. All PEM, keys PKCS#8. Fails with openssl's
 * own output when openssl fails.
 *
 * <pre>{@code
 * TestCertificates certificates = TestCertificates.create(tempDir);
 * ClusterTls node1 = certificates.clusterTls("127.0.0.1");          // loaded, trusting the CA
 * TestCertificates.Issued node2 = certificates.nodeCertificate("127.0.0.2", "node2.internal");
 * Path stranger = certificates.otherCa();                            // trusts none of the above
 * }</pre>
 */
public final class TestCertificates {

    /** The key type of a node certificate. */
    public enum KeyType {
        /** ECDSA P-256, the default: fast to generate. */
        EC,
        /** RSA 2048, the most common in the field. */
        RSA
    }

    /** A certificate and its PKCS#8 key. */
    public record Issued(Path certificate, Path key) {
    }

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Issued ca;
    private final Issued otherCa;
    /** Node certificates made so far: names their files and gives each its serial number. */
    private int issued;

    private TestCertificates(Path dir) {
        this.dir = dir;
        writeConfig();
        this.ca = authority("ca", "Tributary test CA");
        this.otherCa = authority("other-ca", "Unrelated test CA");
    }

    /** Creates the CA and the unrelated CA in {@code dir}; node certificates are made on demand. */
    public static TestCertificates create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCertificates(dir);
    }

    public Path directory() {
        return dir;
    }

    /** The CA's certificate: what every node trusts. */
    public Path caCertificate() {
        return ca.certificate();
    }

    public Path caKey() {
        return ca.key();
    }

    /** The certificate of a second CA that signed none of {@link #nodeCertificate}'s certificates. */
    public Path otherCa() {
        return otherCa.certificate();
    }

    /** A new EC node certificate signed by the CA, for the given IP addresses or DNS names (the first is the CN). */
    public Issued nodeCertificate(String... addresses) {
        return issue(ca, KeyType.EC, addresses);
    }

    /** A new node certificate of the given key type signed by the CA. */
    public Issued nodeCertificate(KeyType type, String... addresses) {
        return issue(ca, type, addresses);
    }

    /** A new EC node certificate signed by the unrelated CA. */
    public Issued otherCaNodeCertificate(String... addresses) {
        return issue(otherCa, KeyType.EC, addresses);
    }

    /** A loaded {@link ClusterTls} for a new node certificate for {@code addresses}, trusting the CA. */
    public ClusterTls clusterTls(String... addresses) {
        Issued node = nodeCertificate(addresses);
        return ClusterTls.load(node.certificate(), node.key(), caCertificate());
    }

    private Issued authority(String name, String commonName) {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        generateKey(KeyType.EC, key);
        openssl("req", "-x509", "-new", "-config", config().toString(), "-extensions", "v3_ca",
                "-key", key.toString(), "-subj", "/CN=" + commonName, "-days", "3650", "-sha256",
                "-out", cert.toString());
        return new Issued(cert, key);
    }

    private synchronized Issued issue(Issued signer, KeyType type, String... addresses) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("a node certificate needs at least one address");
        }
        String name = "node-" + ++issued + "-" + addresses[0].replaceAll("[^A-Za-z0-9.-]", "_");
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path extensions = dir.resolve(name + ".ext");
        Path cert = dir.resolve(name + ".crt");
        generateKey(type, key);
        openssl("req", "-new", "-config", config().toString(), "-key", key.toString(),
                "-subj", "/CN=" + addresses[0], "-out", csr.toString());
        write(extensions, String.join("\n",
                "basicConstraints = CA:FALSE",
                "keyUsage = critical, digitalSignature, keyEncipherment",
                "extendedKeyUsage = serverAuth, clientAuth",
                "subjectKeyIdentifier = hash",
                "authorityKeyIdentifier = keyid",
                "subjectAltName = " + subjectAltNames(addresses), ""));
        openssl("x509", "-req", "-in", csr.toString(), "-CA", signer.certificate().toString(), "-CAkey",
                signer.key().toString(), "-set_serial", Integer.toString(issued), "-days", "365",
                "-sha256", "-extfile", extensions.toString(), "-out", cert.toString());
        return new Issued(cert, key);
    }

    private static String subjectAltNames(String... addresses) {
        List<String> names = new ArrayList<>();
        for (String address : addresses) {
            boolean ip = address.matches("[0-9.]+") || address.contains(":");
            names.add((ip ? "IP:" : "DNS:") + address);
        }
        return String.join(", ", names);
    }

    private void generateKey(KeyType type, Path key) {
        // genpkey writes PKCS#8 ("BEGIN PRIVATE KEY"), the format ClusterTls reads.
        if (type == KeyType.RSA) {
            openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
        } else {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        }
    }

    /** A config of our own, so the system's openssl.cnf cannot add or clash with extensions. */
    private void writeConfig() {
        write(config(), String.join("\n",
                "[req]",
                "distinguished_name = dn",
                "prompt = no",
                "[dn]",
                "[v3_ca]",
                "basicConstraints = critical, CA:TRUE",
                "keyUsage = critical, keyCertSign, cRLSign",
                "subjectKeyIdentifier = hash", ""));
    }

    private Path config() {
        return dir.resolve("openssl.cnf");
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (is it installed and on the PATH?): "
                    + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            // Read before waiting: a full pipe would block openssl.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(OPENSSL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + OPENSSL_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit "
                        + process.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
